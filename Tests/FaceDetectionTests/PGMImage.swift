import Foundation

/// An 8-bit gray image read from a binary PGM (P5, maxval 255) fixture.
struct PGMImage {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        var index = 0
        /// The next header token, skipping whitespace and `#` comments.
        func token() throws -> String {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                } else if [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) {
                    index += 1
                } else {
                    break
                }
            }
            let start = index
            while index < bytes.count, ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
            guard index > start else { throw FormatError(description: "\(url.path): truncated PGM header") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        guard try token() == "P5" else { throw FormatError(description: "\(url.path): not a binary PGM (P5)") }
        guard let width = Int(try token()), let height = Int(try token()), let maxValue = Int(try token()),
              width > 0, height > 0, maxValue == 255 else {
            throw FormatError(description: "\(url.path): unsupported PGM header")
        }
        index += 1  // the single whitespace byte after maxval
        guard bytes.count - index == width * height else {
            throw FormatError(description: "\(url.path): expected \(width * height) pixel bytes, found \(bytes.count - index)")
        }
        self.init(width: width, height: height, pixels: Array(bytes[index...]))
    }

    /// Copies `image` into this one with its top-left corner at (x, y).
    mutating func paste(_ image: PGMImage, x: Int, y: Int) {
        for row in 0..<image.height {
            let target = (y + row) * width + x
            pixels.replaceSubrange(target..<(target + image.width),
                                   with: image.pixels[(row * image.width)..<((row + 1) * image.width)])
        }
    }

    /// FNV-1a 64-bit hash of the pixels, as hex (the fixture script stores the same for canvases).
    var fnv1a64: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in pixels {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
