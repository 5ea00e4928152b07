#!/usr/bin/env python3
"""png-check.py: checks a screenshot: a real PNG of the expected size that is not blank.

Usage: png-check.py FILE.png WIDTH HEIGHT [heatmap|panel|density]
With "heatmap", the map must also show at least three classes of the heatmap ramp (ColorBrewer
YlOrRd, as src/render/gp-heatmap.c colours grids), each over a good patch of pixels. With
"density", a smooth warm surface (the density ramp, yellow to red, blended over the map) must
cover a good part of the map in many shades. With "panel", a list (of grids or of problems) must fill the left of the window with lines of text.
Reads the PNG with zlib alone (8-bit RGB/RGBA, no interlace), as GTK writes them; exits 1
with a message when the image is missing, has another size or shows (almost) nothing."""
import struct
import sys
import zlib


def read_png(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG file')
    pos, idat, header = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError('unexpected PNG format: depth %d, colour type %d' % (depth, colour))
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if filt == 1:
                line[x] = (line[x] + a) & 0xff
            elif filt == 2:
                line[x] = (line[x] + b) & 0xff
            elif filt == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xff
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xff
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    try:
        width, height, bpp, rows = read_png(path)
    except (OSError, ValueError, zlib.error, TypeError, struct.error) as e:
        print('%s: %s' % (path, e))
        return 1
    if (width, height) != (want_w, want_h):
        print('%s: %d x %d, expected %d x %d' % (path, width, height, want_w, want_h))
        return 1
    # The map area (below the header bar): many colours (fills, lines, anti-aliased text), and
    # no single colour covering nearly all of it.
    colours, counts = set(), {}
    for y in range(80, height - 40, 2):
        row = rows[y]
        for x in range(0, width * bpp, 2 * bpp):
            px = row[x:x + 3]
            colours.add(px)
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    top = max(counts.values())
    print('%s: %d x %d, %d colours in the map, the commonest covers %.0f%%'
          % (path, width, height, len(colours), 100.0 * top / total))
    if len(colours) < 16 or top > 0.97 * total:
        print('%s: the map looks blank' % path)
        return 1
    if len(sys.argv) > 4 and sys.argv[4] == 'panel':
        # Rows of the left 300 pixels holding dark text: the list's lines.
        lines = sum(1 for y in range(60, height - 20)
                    if sum(1 for x in range(0, 300 * bpp, bpp) if max(rows[y][x:x + 3]) < 90) >= 3)
        print('%s: %d rows of text in the side panel' % (path, lines))
        if lines < 150:
            print('%s: no list beside the map' % path)
            return 1
    if len(sys.argv) > 4 and sys.argv[4] == 'heatmap':
        ramp = [bytes.fromhex(h) for h in ('ffffcc', 'ffeda0', 'fed976', 'feb24c', 'fd8d3c', 'fc4e2a',
                                           'e31a1c', 'bd0026', '800026')]
        shown = [h.hex() for h in ramp if counts.get(h, 0) >= 200]
        print('%s: heatmap classes shown: %s' % (path, ' '.join(shown)))
        if len(shown) < 3:
            print('%s: the grids are not coloured by the heatmap' % path)
            return 1
    if len(sys.argv) > 4 and sys.argv[4] == 'density':
        # Warm shades: red well above blue and green at least a little under red. The pastel
        # fills of areas and grids and the blue outlines never qualify; a blended kernel surface
        # gives hundreds of shades.
        warm = {c: n for c, n in counts.items() if c[0] >= 180 and c[0] - c[2] >= 90 and c[0] - c[1] >= 20}
        pixels = sum(warm.values())
        # A classed choropleth is a handful of flat colours: its ten commonest warm shades hold
        # nearly all its warm pixels. A surface spreads them.
        top10 = sum(sorted(warm.values(), reverse=True)[:10])
        print('%s: %d warm pixels in %d shades, the ten commonest hold %.0f%%'
              % (path, pixels, len(warm), 100.0 * top10 / max(pixels, 1)))
        if pixels < 2000 or len(warm) < 60 or top10 > 0.5 * pixels:
            print('%s: no density surface on the map' % path)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
