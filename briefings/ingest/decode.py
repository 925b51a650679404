"""Raw bytes to text, with a clear refusal for anything that is not a transcript.

The type is told by content, never by the file's name: an archive, a PDF, an image or a
program renamed `.html` is refused, saying what it looks like. Archives are never
opened (a transcript is uploaded as its own files), and entity declarations are refused
rather than expanded, so a "billion laughs" file costs nothing.
"""

from __future__ import annotations

import codecs
import re

from .records import ParseError

# A transcript page is a few hundred KB at most; the largest in the corpus is 224 KB.
MAX_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 65536

ARCHIVE = "archives are not opened: upload the transcript files themselves"
# Leading bytes of the binary formats most likely to be uploaded by mistake (or not).
SIGNATURES: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", f"a ZIP archive (or a Word, Excel or EPUB file); {ARCHIVE}"),
    (b"PK\x05\x06", f"an empty ZIP archive; {ARCHIVE}"),
    (b"\x1f\x8b", f"a gzip-compressed file; {ARCHIVE}"),
    (b"\xfd7zXZ\x00", f"an xz-compressed file; {ARCHIVE}"),
    (b"(\xb5/\xfd", f"a zstd-compressed file; {ARCHIVE}"),
    (b"7z\xbc\xaf\x27\x1c", f"a 7-Zip archive; {ARCHIVE}"),
    (b"Rar!\x1a\x07", f"a RAR archive; {ARCHIVE}"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "a Java class or a macOS program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xff\xfe\x00\x00", "UTF-32 text (save it as UTF-8)"),
    (b"\xff\xfe", "UTF-16 text (save it as UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (save it as UTF-8)"),
]
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\b", re.I)


def binary_kind(data: bytes) -> str | None:
    """What `data` looks like when it is not text ("a ZIP archive; ..."), else None."""
    head = data[:SNIFF_BYTES]
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if _BZIP2.match(head):
        return f"a bzip2-compressed file; {ARCHIVE}"
    if head[257:262] == b"ustar":
        return f"a tar archive; {ARCHIVE}"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[:2] == b"MZ" and b"\x00" in head[:64]:
        return "a Windows program (.exe or .dll)"
    if b"\x00" in head:
        return "binary data, or UTF-16 text without a byte order mark (it contains NUL bytes)"
    return None


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    if size > max_bytes:
        raise ParseError(
            f"file is too large ({size / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB)"
        )


def _not_blank(text: str) -> str:
    # Whitespace that bytes.strip() does not know (no-break spaces, U+3000, U+001C).
    if not text.strip():
        raise ParseError("file is empty: it holds only spaces")
    return text


def decode_transcript(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """Decode UTF-8 (with or without BOM), else Windows-1252; refuse binary and empty files."""
    return decode_with_warnings(data, max_bytes=max_bytes)[0]


def decode_with_warnings(data: bytes, *, max_bytes: int = MAX_BYTES) -> tuple[str, list[str]]:
    """The text of a transcript file and what its reader should know about the decoding: a
    file of two encodings (a UTF-8 transcript with lines pasted from a Windows-1252 one, or
    the reverse) is read a line at a time, each in its own encoding, and a warning names the
    lines in the encoding of the fewer. Binary and empty files are refused."""
    check_size(len(data), max_bytes)
    if not data.strip():
        raise ParseError("file is empty")
    kind = binary_kind(data)
    if kind:
        raise ParseError(f"not a text file: it looks like {kind}")
    if _ENTITY_DECLARATION.search(data):
        raise ParseError(
            "it declares its own entities (<!ENTITY ...>), which are never expanded: "
            "refused (a transcript page has no use for them)"
        )
    try:
        return _not_blank(data.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        pass
    body = data.removeprefix(b"\xef\xbb\xbf")
    lines = body.split(b"\n")
    texts: list[str] = []
    utf8_lines: list[int] = []  # lines with letters beyond ASCII, in UTF-8
    cp1252_lines: list[int] = []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            if not line.isascii():
                utf8_lines.append(number)
        except UnicodeDecodeError:
            try:
                # Third-party transcripts are often Windows-1252 ("’" is byte 0x92); a line
                # may still hold UTF-8 letters, which the fallback keeps.
                text = line.decode("utf-8", errors=_CP1252_FALLBACK)
            except UnicodeDecodeError as error:
                start = (
                    len(data) - len(body) + sum(len(before) + 1 for before in lines[: number - 1])
                )
                offset = start + error.start
                raise ParseError(
                    f"undecodable bytes: neither UTF-8 nor Windows-1252 "
                    f"(byte 0x{line[error.start]:02x} at offset {offset})",
                    line=number,
                ) from None
            cp1252_lines.append(number)
        texts.append(text)
    if not utf8_lines:
        try:
            return _not_blank(data.decode("cp1252")), []
        except UnicodeDecodeError:
            # A byte Windows-1252 leaves undefined, inside a UTF-8 letter of a line the
            # fallback read (b"\x80\xc2\x81"): the lines as read.
            return _not_blank("\n".join(texts)), []
    if len(cp1252_lines) <= len(utf8_lines):
        warning = (
            f"{_line_numbers(cp1252_lines)} not UTF-8 like the rest of the file: read as "
            "Windows-1252 (check their quotes and accented letters)"
        )
    else:
        warning = (
            f"{_line_numbers(utf8_lines)} UTF-8 in a file otherwise in Windows-1252: "
            "each line read in its own encoding (check their quotes and accented letters)"
        )
    return _not_blank("\n".join(texts)), [warning]


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """The bytes UTF-8 could not read, read as Windows-1252; raises for the five bytes
    Windows-1252 leaves undefined."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252"), error.end


_CP1252_FALLBACK = "briefing-archive.cp1252"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)

LINES_NAMED = 10


def _line_numbers(numbers: list[int]) -> str:
    """ "line 4 is", "lines 4 and 9 are", "lines 4, 9, ... and 12 more are"."""
    if len(numbers) == 1:
        return f"line {numbers[0]} is"
    shown = [str(number) for number in numbers[:LINES_NAMED]]
    rest = len(numbers) - len(shown)
    last = f"{rest} more" if rest else shown.pop()
    return f"lines {', '.join(shown)} and {last} are"
