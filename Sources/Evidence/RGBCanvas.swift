/// An RGB colour, 8 bits per channel.
public struct RGB: Sendable, Equatable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
    /// The participant's box.
    public static let participant = RGB(0, 220, 0)
    /// Other faces' boxes.
    public static let otherFace = RGB(255, 140, 0)
}

/// A packed RGB24 picture in memory someone else owns (a decoded frame, a test's array), with the
/// drawing the annotated video and burned-in captions need. Every operation clips to the picture, so
/// shapes partly or wholly outside it are safe.
public struct RGBCanvas {
    public let width: Int
    public let height: Int
    /// Bytes from one row to the next (at least 3 × width).
    public let stride: Int
    public let pixels: UnsafeMutablePointer<UInt8>

    public init(width: Int, height: Int, stride: Int, pixels: UnsafeMutablePointer<UInt8>) {
        precondition(width >= 0 && height >= 0 && stride >= 3 * width)
        self.width = width
        self.height = height
        self.stride = stride
        self.pixels = pixels
    }

    /// The colour at (x, y), which must be inside the picture.
    public func pixel(x: Int, y: Int) -> RGB {
        let p = pixels + y * stride + 3 * x
        return RGB(p[0], p[1], p[2])
    }

    /// Fills the rectangle [x, x + w) × [y, y + h) with `color`.
    public func fill(x: Int, y: Int, width w: Int, height h: Int, color: RGB) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            var p = pixels + row * stride + 3 * x0
            for _ in x0..<x1 {
                p[0] = color.r; p[1] = color.g; p[2] = color.b
                p += 3
            }
        }
    }

    /// Darkens the rectangle to `keep`/256 of its brightness (a backing band that keeps text legible).
    public func darken(x: Int, y: Int, width w: Int, height h: Int, keep: Int = 96) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            let p = pixels + row * stride + 3 * x0
            for i in 0..<(3 * (x1 - x0)) { p[i] = UInt8((Int(p[i]) * keep) >> 8) }
        }
    }

    /// The outline of the rectangle [x, x + w) × [y, y + h), `thickness` pixels wide, drawn inside it.
    public func strokeRect(x: Int, y: Int, width w: Int, height h: Int, thickness: Int, color: RGB) {
        let t = max(1, min(thickness, w, h))
        fill(x: x, y: y, width: w, height: t, color: color)
        fill(x: x, y: y + h - t, width: w, height: t, color: color)
        fill(x: x, y: y, width: t, height: h, color: color)
        fill(x: x + w - t, y: y, width: t, height: h, color: color)
    }

    /// Draws `text` (already `BitmapFont.drawable`) with its top-left corner at (x, y), each font pixel
    /// a `scale` × `scale` square.
    public func draw(text: String, x: Int, y: Int, scale: Int, color: RGB) {
        var left = x
        for character in text {
            if let rows = BitmapFont.rows(character) {
                for (r, bits) in rows.enumerated() where bits != 0 {
                    for c in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - c)) != 0 {
                        fill(x: left + c * scale, y: y + r * scale, width: scale, height: scale, color: color)
                    }
                }
            }
            left += BitmapFont.advance * scale
        }
    }

    /// Draws `text` on a darkened band with a margin of `scale` pixels, cut to fit the picture's width
    /// (the cut shown by `...`); returns the band's height.
    @discardableResult
    public func label(_ text: String, x: Int, y: Int, scale: Int, color: RGB = .white) -> Int {
        let fitting = Self.fitting(BitmapFont.drawable(text), into: width - x - 2 * scale, scale: scale)
        let bandHeight = (BitmapFont.lineHeight + 1) * scale
        darken(x: x, y: y, width: BitmapFont.width(ofCharacters: fitting.count) * scale + 2 * scale, height: bandHeight)
        draw(text: fitting, x: x + scale, y: y + scale, scale: scale, color: color)
        return bandHeight
    }

    /// `text` cut (with a trailing `...`) so that it is at most `pixels` wide at `scale`.
    static func fitting(_ text: String, into pixels: Int, scale: Int) -> String {
        let room = max(0, (pixels / scale + 1) / BitmapFont.advance)
        if text.count <= room { return text }
        if room <= 3 { return String(text.prefix(room)) }
        return String(text.prefix(room - 3)) + "..."
    }
}
