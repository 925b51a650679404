"""Raw bytes to text, with a clear refusal for anything that is not a transcript."""

from __future__ import annotations

from .records import ParseError

# A transcript page is a few hundred KB at most; the largest in the corpus is 224 KB.
MAX_BYTES = 10 * 1024 * 1024


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    if size > max_bytes:
        raise ParseError(
            f"file is too large ({size / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB)"
        )


def decode_transcript(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """Decode UTF-8 (with or without BOM), else Windows-1252; refuse binary and empty files."""
    check_size(len(data), max_bytes)
    if not data.strip():
        raise ParseError("file is empty")
    if b"\x00" in data[:65536]:
        raise ParseError("not a text file (it contains NUL bytes; binary or UTF-16?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            # Third-party transcripts are often Windows-1252 ("’" is byte 0x92).
            return data.decode("cp1252")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise ParseError(
                f"undecodable bytes: neither UTF-8 nor Windows-1252 "
                f"(byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})",
                line=line,
            ) from None
