#!/usr/bin/env python3
"""Copies an MP4 and writes a display rotation into its first track's tkhd matrix.

FFmpeg 5.1's CLI has no `-display_rotation` and its MP4 muxer ignores `rotate` metadata, so the rotation
fixtures get the matrix a phone writes, patched in place. Usage: set-display-rotation.py IN OUT DEGREES,
DEGREES = 90, 180 or 270 clockwise (90 is what an upright phone recording carries).
"""
import struct
import sys


def find_box(data, path, start=0, end=None):
    end = len(data) if end is None else end
    i = start
    while i + 8 <= end:
        size, kind = struct.unpack('>I4s', data[i:i + 8])
        if size < 8:
            break
        if kind.decode('latin-1') == path[0]:
            return (i, size) if len(path) == 1 else find_box(data, path[1:], i + 8, i + size)
        i += size
    sys.exit('box not found: ' + '/'.join(path))


def main():
    source, destination, degrees = sys.argv[1], sys.argv[2], int(sys.argv[3])
    data = bytearray(open(source, 'rb').read())
    offset, _ = find_box(data, ['moov', 'trak', 'tkhd'])
    version = data[offset + 8]
    # full box header, times + track id + reserved + duration, reserved, layer, group, volume, reserved
    matrix = offset + 8 + 4 + (32 if version == 1 else 20) + 8 + 2 + 2 + 2 + 2
    width = struct.unpack('>I', data[matrix + 36:matrix + 40])[0] >> 16
    height = struct.unpack('>I', data[matrix + 40:matrix + 44])[0] >> 16
    one = 1 << 16
    a, b, c, d, tx, ty = {
        90: (0, one, -one, 0, height * one, 0),
        180: (-one, 0, 0, -one, width * one, height * one),
        270: (0, -one, one, 0, 0, width * one),
    }[degrees]
    data[matrix:matrix + 36] = struct.pack('>9i', a, b, 0, c, d, 0, tx, ty, 1 << 30)
    open(destination, 'wb').write(data)


if __name__ == '__main__':
    main()
