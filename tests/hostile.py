"""Hostile and damaged files, made in code: what staff may upload without knowing."""

import io
import struct
import zlib

from iecmh_site.demo.pdf import build_pdf


def pdf_bomb(inflated_mb: int = 1500) -> bytes:
    """A PDF of a few MB whose first page's content inflates to ``inflated_mb`` MB."""
    chunk = b" " * (4 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate blocks
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks = inflated_mb // 4
    adler = 1
    for _ in range(blocks):
        adler = zlib.adler32(chunk, adler)
    stream = (
        b"\x78\xda" + block * blocks + compressor.flush(zlib.Z_FINISH) + struct.pack(">I", adler)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _assemble(objects)


def _assemble(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def pdf_with_odd_mark_info() -> bytes:
    """/MarkInfo 5: a number where a dictionary belongs."""
    return build_pdf("Odd mark info", tagged=False).replace(b"/Lang", b"/MarkInfo 5 /Lang", 1)


def pdf_with_info_array() -> bytes:
    """The trailer's /Info pointing to an array instead of a dictionary."""
    pdf = build_pdf("Odd info", tagged=False)
    return pdf.replace(b"/Info", b"/Info [1 2 3] /Ignored", 1)


def pdf_with_page_box(width: float, height: float) -> bytes:
    return build_pdf("Odd page").replace(
        b"/MediaBox [ 0.0 0.0 612 792 ]", b"/MediaBox [ 0.0 0.0 %g %g ]" % (width, height), 1
    )


def encrypted_pdf(*, user_password: str) -> bytes:
    """A PDF with editing restricted (owner password); a user password, if any, to open it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(build_pdf("Restricted"))))
    writer.encrypt(
        user_password=user_password,
        owner_password="owner-secret",
        permissions_flag=0b1100,  # print only: no editing, no copying
        algorithm="AES-128",
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (its data is tiny)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
