"""GIFs published without metadata and with their animation intact.

A GIF is a list of blocks; this keeps the ones that make the picture (the screen descriptor, colour
tables, image data, graphic controls with frame timing and transparency, the NETSCAPE loop count)
and drops everything else: comments, XMP packets, ICC profiles and any other application data.
Re-encoding with Pillow would drop them too, but re-quantises and re-times frames; copying the
kept blocks byte for byte changes no pixel and no frame. A file that does not parse as a GIF is
re-encoded from its first frame (only pixels survive that either).
"""

from __future__ import annotations

import io

LOOP_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


class _Truncated(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.at = 0

    def take(self, count: int) -> bytes:
        if self.at + count > len(self.data):
            raise _Truncated("the GIF ends early")
        chunk = self.data[self.at : self.at + count]
        self.at += count
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def sub_blocks(self) -> list[bytes]:
        """Data sub-blocks up to the zero-length terminator."""
        blocks = []
        while size := self.byte():
            blocks.append(self.take(size))
        return blocks


def _table(flags: int) -> int:
    """Bytes of the colour table a descriptor's flags announce (0 without one)."""
    return 3 * (2 << (flags & 0x07)) if flags & 0x80 else 0


def _raw_sub_blocks(reader: _Reader) -> bytes:
    """The image data's sub-blocks as they are, terminator included."""
    start = reader.at
    reader.sub_blocks()
    return reader.data[start : reader.at]


def strip_gif(data: bytes) -> bytes:
    """The GIF with only the blocks needed to show it (frames, timing, transparency, loop count)."""
    try:
        return _filtered(data)
    except _Truncated:
        return _first_frame(data)


def _filtered(data: bytes) -> bytes:
    reader = _Reader(data)
    header = reader.take(6)
    if header not in (b"GIF87a", b"GIF89a"):
        raise _Truncated("not a GIF")
    screen = reader.take(7)
    out = [b"GIF89a", screen, reader.take(_table(screen[4]))]
    frames = 0
    while True:
        kind = reader.byte()
        if kind == 0x3B:  # trailer: anything after it is dropped too
            break
        if kind == 0x2C:  # an image: descriptor, local colour table, LZW code size, data
            descriptor = reader.take(9)
            table = reader.take(_table(descriptor[8]))
            out += [b"\x2c", descriptor, table, reader.take(1), _raw_sub_blocks(reader)]
            frames += 1
        elif kind == 0x21:
            out.append(_extension(reader.byte(), reader.sub_blocks()))
        else:
            raise _Truncated(f"unknown GIF block {kind:#x}")
    if not frames:
        raise _Truncated("a GIF without an image")
    out.append(b"\x3b")
    return b"".join(out)


def _extension(label: int, blocks: list[bytes]) -> bytes:
    """A kept extension rebuilt from its known fields only, or b"" for a dropped one."""
    if label == 0xF9 and blocks and len(blocks[0]) == 4:  # graphic control: delay, disposal, alpha
        return b"\x21\xf9\x04" + blocks[0] + b"\x00"
    if label == 0xFF and len(blocks) >= 2 and blocks[0] in LOOP_APPLICATIONS:
        loop = blocks[1]
        if len(loop) == 3 and loop[0] == 1:  # the loop count, nothing else
            return b"\x21\xff\x0b" + blocks[0] + b"\x03" + loop + b"\x00"
    return b""  # comments (0xFE), plain text (0x01), XMP, ICC and other application data


def _first_frame(data: bytes) -> bytes:
    from bgpub.render.images import load_image

    out = io.BytesIO()
    load_image(data).convert("RGB").save(out, "GIF")
    return out.getvalue()
