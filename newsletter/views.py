"""Signup, double opt-in, leaving and preferences for the mailing list."""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from iecmh_site.ratelimits import client_over_limit
from newsletter import services
from newsletter.forms import CONSENT_TEXT, PreferencesForm, ResendForm, SignupForm
from newsletter.models import Subscriber
from newsletter.tasks import resend_request_job
from newsletter.tokens import TokenExpired, TokenInvalid, make_token, read_token


def _crumbs(*extra):
    return [(_("Mailing list"), reverse("newsletter:signup")), *extra]


DAY = 24 * 60 * 60


def _over_limit(request) -> int:
    """Count a signup or resend post from this network address; the seconds to wait once it
    went past a limit, else 0.

    The limits are per network address, which a whole room shares (a training's Wi-Fi): high
    enough for a room of colleagues, low enough to stop a flood. One mailbox is protected on
    its own, by NEWSLETTER_MAILS_PER_MAILBOX confirmation emails a day.
    """
    burst = client_over_limit(
        request,
        "newsletter",
        limit=settings.NEWSLETTER_RATE_LIMIT,
        window=settings.NEWSLETTER_RATE_LIMIT_WINDOW_SECONDS,
    )
    daily = client_over_limit(
        request, "newsletter-day", limit=settings.NEWSLETTER_RATE_LIMIT_DAILY, window=DAY
    )
    if daily:
        return DAY
    return settings.NEWSLETTER_RATE_LIMIT_WINDOW_SECONDS if burst else 0


def _too_many(request, retry_after: int):
    response = render(
        request,
        "newsletter/rate_limited.html",
        {"crumbs": _crumbs((_("Please wait"), request.path))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _thanks():
    return redirect(reverse("newsletter:thanks"))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.method == "POST":
        if retry_after := _over_limit(request):
            return _too_many(request, retry_after)
        form = SignupForm(request.POST)
        if form.looks_automated():
            # Looks like success to the bot; nothing is stored and nothing is sent.
            return _thanks()
        if form.is_valid():
            data = form.cleaned_data
            services.signup_enqueue(
                email=data["email"],
                name=data["name"],
                organization=data["organization"],
                role_ids=[role.pk for role in data["roles"]],
                role_other=data["role_other"],
                interests=list(data["interests"]),
                # The words the person read, in the page's language.
                consent_text=str(CONSENT_TEXT),
                source=data["source"],
                # The page's language (from its URL) becomes the language of their emails.
                language=translation.get_language(),
            )
            return _thanks()
    else:
        email = request.GET.get("email", "")[:254].strip()
        source = Subscriber.Source.FOOTER if email else Subscriber.Source.SIGNUP_PAGE
        form = SignupForm(initial={"email": email, "source": source})
    return render(
        request,
        "newsletter/signup.html",
        {
            "form": form,
            "consent_text": CONSENT_TEXT,
            "crumbs": _crumbs(),
        },
    )


@never_cache
@require_safe
def signup_token(request):
    """What the footer signup needs to post in one step, fetched by site.js when its address
    field gets focus: a CSRF token (pages carry none, so that they stay cacheable), a fresh
    signed start time and the footer's topics. The signup view checks the post exactly as it
    checks the full form: its token, its time stamp, its honeypot and its limits."""
    form = SignupForm()
    fields = [
        ["csrfmiddlewaretoken", get_token(request)],
        ["started", form.fields["started"].initial],
        ["source", Subscriber.Source.FOOTER],
        *[["interests", key] for key in form.fields["interests"].initial],
    ]
    # The post must not go before the start time is old enough, or it would look automated.
    return JsonResponse({"fields": fields, "wait": settings.NEWSLETTER_MIN_FILL_SECONDS})


def thanks(request):
    return render(
        request,
        "newsletter/thanks.html",
        {
            "crumbs": _crumbs((_("Check your email"), request.path)),
            "confirm_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
        },
    )


def privacy(request):
    return render(
        request,
        "newsletter/privacy.html",
        {
            "crumbs": _crumbs((_("How we use your email"), request.path)),
            "confirm_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
        },
    )


def _bad_link(request, *, expired_token: str = ""):
    return render(
        request,
        "newsletter/bad_link.html",
        {
            "expired_token": expired_token,
            "form": ResendForm(),
            "crumbs": _crumbs((_("Link not valid"), request.path)),
            "confirm_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
        },
        status=400,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        subscriber = read_token(token, purpose="confirm")
    except TokenExpired:
        return _bad_link(request, expired_token=token)
    except TokenInvalid:
        return _bad_link(request)
    if subscriber is None:
        return _bad_link(request)
    context = {"crumbs": _crumbs((_("Confirm"), request.path))}
    if request.method != "POST":
        # Mail scanners follow links: only the button (a POST) confirms.
        if subscriber.status == Subscriber.Status.CONFIRMED:
            context["result"] = "already"
        return render(request, "newsletter/confirm.html", context)
    context["result"] = services.subscription_confirm(subscriber=subscriber)
    context["preferences_url"] = reverse(
        "newsletter:preferences", kwargs={"token": make_token(subscriber, purpose="preferences")}
    )
    return render(request, "newsletter/confirm.html", context)


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a CSRF token; the token signs it.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = read_token(token, purpose="unsubscribe")
    except (TokenExpired, TokenInvalid):
        return _bad_link(request)
    context = {"crumbs": _crumbs((_("Unsubscribe"), request.path)), "done": False}
    if request.method == "POST":
        if subscriber is not None:
            services.subscriber_unsubscribe(subscriber=subscriber)
        context["done"] = True
    elif subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        context["done"] = True
    return render(request, "newsletter/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    try:
        subscriber = read_token(token, purpose="preferences")
    except (TokenExpired, TokenInvalid):
        return _bad_link(request)
    context = {"crumbs": _crumbs((_("Your preferences"), request.path)), "subscriber": subscriber}
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        context["left"] = True
        return render(request, "newsletter/preferences.html", context)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.preferences_update(
                subscriber=subscriber,
                name=data["name"],
                organization=data["organization"],
                roles=data["roles"],
                role_other=data["role_other"],
                interests=data["interests"],
            )
            saved = True
    else:
        form = PreferencesForm(
            initial={
                "name": subscriber.name,
                "organization": subscriber.organization,
                "roles": list(subscriber.roles.all()),
                "role_other": subscriber.role_other,
                "interests": subscriber.interest_keys,
            }
        )
    context.update(
        form=form,
        saved=saved,
        unsubscribe_url=reverse(
            "newsletter:unsubscribe",
            kwargs={"token": make_token(subscriber, purpose="unsubscribe")},
        ),
    )
    return render(request, "newsletter/preferences.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def resend(request):
    """Send a new confirmation link: from an expired link's button, or by typing the address."""
    form = ResendForm()
    if request.method == "POST":
        if retry_after := _over_limit(request):
            return _too_many(request, retry_after)
        token = request.POST.get("token", "")
        if token:
            try:
                # The button on an expired link's page: the signature is still genuine.
                subscriber = read_token(token, purpose="confirm", ignore_expiry=True)
            except TokenInvalid:
                subscriber = None
            if subscriber is None:
                return _bad_link(request)
            resend_request_job.enqueue(subscriber.email)
            return _thanks()
        form = ResendForm(request.POST)
        if form.looks_automated():
            return _thanks()
        if form.is_valid():
            resend_request_job.enqueue(form.cleaned_data["email"])
            return _thanks()
    return render(
        request,
        "newsletter/resend.html",
        {"form": form, "crumbs": _crumbs((_("Send a new link"), request.path))},
    )
