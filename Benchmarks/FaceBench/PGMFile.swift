import Foundation

/// A binary PGM (P5, maxval 255) frame.
struct PGMFile {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    struct ReadError: Error, CustomStringConvertible { let description: String }

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        var index = 0
        func token() -> String {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
            let start = index
            while index < bytes.count, ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        guard token() == "P5", let w = Int(token()), let h = Int(token()), token() == "255", w > 0, h > 0,
              bytes.count - (index + 1) == w * h else {
            throw ReadError(description: "\(url.path): not an 8-bit binary PGM")
        }
        width = w
        height = h
        pixels = Array(bytes[(index + 1)...])
    }
}
