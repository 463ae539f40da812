// The site's changes to the rich-text editor (django-prose-editor). iecmh_site/richtext.py
// adds this module to the editor's js_modules; its exports replace the library's extensions
// of the same name before the editor is built.
//
// - Link: the link dialog can find a page, report or event by title and store a stable
//   link to it (/link/page/12/), which keeps working when the target's address changes.
// - Heading: pasted headings at other levels become the nearest level staff may use,
//   as the server's sanitizer does (h1 becomes h2, h4 to h6 become h3).
import {
  Heading as BaseHeading,
  Link as BaseLink,
  crel,
  gettext,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const STABLE_LINK = /^\/link\/[a-z]+\/[0-9]+\/$/
const SEARCH_DELAY_MS = 150

const sheet = new CSSStyleSheet()
sheet.replaceSync(`
  .link-picker { width: min(40rem, 90vw); }
  .link-picker__list {
    list-style: none; margin: 0.5rem 0; padding: 0; max-height: 50vh; overflow-y: auto;
    border: 1px solid var(--hairline-color, #ccc);
  }
  .link-picker__list:empty { display: none; }
  .link-picker__option {
    padding: 0.4rem 0.6rem; cursor: pointer; border-bottom: 1px solid var(--hairline-color, #ccc);
  }
  .link-picker__option:hover { background: var(--darkened-bg, #f8f8f8); }
  .link-picker__option[aria-selected="true"] {
    background: var(--selected-bg, #e4f0f5); outline: 2px solid var(--link-fg, #205067);
    outline-offset: -2px;
  }
  .link-picker__meta { display: block; font-size: 0.85em; color: var(--body-quiet-color, #595959); }
  .link-target-note { margin: 0.25rem 0 0; color: var(--body-quiet-color, #595959); }
`)
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]

const searchTargets = async (searchUrl, query, signal) => {
  const url = `${searchUrl}?${new URLSearchParams({ q: query })}`
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    signal,
  })
  if (!response.ok) throw new Error(`${response.status}`)
  return (await response.json()).results
}

const describeTarget = (item) => {
  const where = `Links to the ${item.kindLabel.toLowerCase()} “${item.title}”, now at ${item.url}.`
  if (item.published ?? item.state === "Published") return where
  return `${where} It is not published yet (${item.state.toLowerCase()}): until it is, visitors see these words without a link.`
}

let uid = 0

// A modal search over the site's pages, reports and events (the ARIA combobox pattern:
// type, arrow keys to move, Enter or a click to choose, Escape to go back).
const openPicker = (searchUrl, onPick) => {
  const id = `link-picker-${++uid}`
  const heading = crel("h3", {
    id: `${id}-title`,
    className: "prose-editor-dialog-title",
    textContent: gettext("Link to a page, report or event"),
  })
  const search = crel("input", {
    id: `${id}-search`,
    type: "text",
    autocomplete: "off",
    spellcheck: false,
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": `${id}-list`,
  })
  const label = crel("label", { htmlFor: search.id, textContent: gettext("Search by title") })
  const status = crel("p", { className: "link-picker__status", role: "status" })
  const list = crel("ul", {
    id: `${id}-list`,
    className: "link-picker__list",
    role: "listbox",
    "aria-label": gettext("Pages, reports and events"),
  })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  const dialog = crel(
    "dialog",
    { className: "prose-editor-dialog link-picker", "aria-labelledby": heading.id },
    [
      heading,
      crel("div", { className: "prose-editor-dialog-field" }, [label, search]),
      status,
      list,
      crel("div", { className: "prose-editor-dialog-buttons" }, [cancel]),
    ],
  )

  let results = []
  let active = -1
  let picked = null
  let timer = null
  let request = null

  const setActive = (index) => {
    active = index
    for (const [n, option] of [...list.children].entries()) {
      option.setAttribute("aria-selected", String(n === active))
    }
    if (active >= 0) {
      const option = list.children[active]
      search.setAttribute("aria-activedescendant", option.id)
      option.scrollIntoView({ block: "nearest" })
    } else {
      search.removeAttribute("aria-activedescendant")
    }
  }

  const choose = (index) => {
    picked = results[index]
    dialog.close()
  }

  const show = (items, query) => {
    results = items
    list.replaceChildren(
      ...items.map((item, n) => {
        const option = crel(
          "li",
          {
            id: `${id}-option-${n}`,
            className: "link-picker__option",
            role: "option",
            "aria-selected": "false",
          },
          [
            crel("span", { textContent: item.title }),
            crel("span", {
              className: "link-picker__meta",
              textContent: `${item.kindLabel}, ${item.state.toLowerCase()}: ${item.url}`,
            }),
          ],
        )
        option.addEventListener("click", () => choose(n))
        return option
      }),
    )
    search.setAttribute("aria-expanded", String(items.length > 0))
    setActive(-1)
    if (!items.length) {
      status.textContent = query
        ? gettext("No page, report or event has these words in its title.")
        : gettext("Nothing to link to yet.")
    } else {
      const count = items.length === 1 ? "1 match" : `${items.length} matches`
      status.textContent = query
        ? `${count}. ${gettext("Use the arrow keys and Enter, or click, to choose.")}`
        : `${gettext("Recently edited")}: ${count}.`
    }
  }

  const run = () => {
    request?.abort()
    request = new AbortController()
    const query = search.value.trim()
    searchTargets(searchUrl, query, request.signal).then(
      (items) => show(items, query),
      (error) => {
        if (error.name === "AbortError") return
        show([], query)
        status.textContent = gettext(
          "Searching failed. Reload the page (you may have been signed out) and try again.",
        )
      },
    )
  }

  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(run, SEARCH_DELAY_MS)
  })
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && results.length) {
      event.preventDefault()
      setActive(Math.min(active + 1, results.length - 1))
    } else if (event.key === "ArrowUp" && results.length) {
      event.preventDefault()
      setActive(Math.max(active - 1, 0))
    } else if (event.key === "Enter") {
      event.preventDefault()
      if (results.length) choose(active >= 0 ? active : 0)
    }
  })
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => {
    clearTimeout(timer)
    request?.abort()
    dialog.remove()
    if (picked) onPick(picked)
  })

  document.body.append(dialog)
  dialog.showModal()
  search.focus()
  run()
}

const linkDialog = (editor, attrs, options) => {
  const properties = {
    href: { type: "string", title: gettext("URL") },
    title: { type: "string", title: gettext("Title") },
  }
  // Under the URL field: where a stable link leads.
  const note = crel("p", { id: `link-target-note-${++uid}`, className: "link-target-note" })
  note.setAttribute("aria-live", "polite")
  let pickerButton = null
  if (options.searchUrl) {
    pickerButton = crel("button", {
      type: "button",
      textContent: gettext("Find a page, report or event"),
    })
    properties.href.picker = {
      button: pickerButton,
      handler: ({ input }) =>
        openPicker(options.searchUrl, (item) => {
          input.value = item.href
          note.textContent = describeTarget(item)
          input.focus()
        }),
    }
  }
  const values = { href: attrs.href || "", title: attrs.title || "" }
  const pending = updateAttrsDialog(properties, { title: gettext("Edit Link") })(editor, values)

  // updateAttrsDialog has put its dialog in the document by now.
  const input = pickerButton?.parentElement?.querySelector("input")
  if (input) {
    pickerButton.parentElement.after(note)
    input.setAttribute("aria-describedby", note.id)
    input.addEventListener("input", () => {
      note.textContent = ""
    })
    if (STABLE_LINK.test(values.href)) {
      searchTargets(options.searchUrl, values.href).then(
        ([item]) => {
          note.textContent = item
            ? describeTarget(item)
            : gettext("Links to something that no longer exists: choose another target.")
        },
        () => {},
      )
    }
  }

  return pending.then((result) => {
    if (!result) return null
    return { href: result.href.trim(), title: result.title || null, target: null, rel: null }
  })
}

// The editable area is named by the field's label (the label points at the hidden textarea).
function nameEditor(editor) {
  const textarea = editor.options.element.querySelector("textarea")
  const label = textarea && document.querySelector(`label[for="${textarea.id}"]`)
  if (!label) return
  label.id ||= `${textarea.id}-label`
  editor.view.dom.setAttribute("aria-labelledby", label.id)
}

export const Link = BaseLink.extend({
  onCreate() {
    this.parent?.()
    nameEditor(this.editor)
  },

  addOptions() {
    return {
      ...this.parent?.(),
      searchUrl: null, // the staff-only search endpoint (iecmh_site.site.link_targets)
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive(this.name)) return false
          linkDialog(editor, editor.getAttributes(this.name), this.options).then((attrs) => {
            if (!attrs) return
            const chain = editor.chain().focus()
            if (!attrs.href) {
              chain.extendMarkRange(this.name).unsetMark(this.name).run()
            } else if (editor.isActive(this.name)) {
              chain.extendMarkRange(this.name).updateAttributes(this.name, attrs).run()
            } else {
              chain.setMark(this.name, attrs).run()
            }
          })
          return true
        },
    }
  },
})

export const Heading = BaseHeading.extend({
  parseHTML() {
    const top = Math.min(...this.options.levels)
    const bottom = Math.max(...this.options.levels)
    return [1, 2, 3, 4, 5, 6].map((level) => ({
      tag: `h${level}`,
      attrs: { level: Math.min(Math.max(level, top), bottom) },
    }))
  },
})
