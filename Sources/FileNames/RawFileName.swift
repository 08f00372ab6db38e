/// File names as Linux stores them: any bytes but `/` and NUL, usually UTF-8 but not always (a file copied
/// from an old Latin-1 system, a zip archive's names). Swift strings hold Unicode only, and Foundation
/// replaces a byte that is not UTF-8 with U+FFFD, after which the file can no longer be opened.
///
/// Here such a byte b (0x80–0xFF) is carried in a string as the private-use scalar U+10FF00 + b, so that
/// `decode` and `encode` are exact inverses: a name read from the command line or a folder opens again,
/// and `displayed` shows the byte as `\xNN` in messages and reports. (A name that really holds one of
/// those 128 private-use characters, U+10FF80–U+10FFFF, is taken for the bytes; no text uses them.)
public enum RawFileName {
    /// The carrier of byte b is `carrierBase + b`.
    static let carrierBase: UInt32 = 0x10FF00

    /// The string for file-system bytes (no NUL): UTF-8 decoded, bytes that are not UTF-8 carried.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var pending = Array(bytes)[...]
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                pending = pending.dropFirst(encoded.count)
            case let .error(length):
                for byte in pending.prefix(length) { scalars.append(Unicode.Scalar(carrierBase + UInt32(byte))!) }
                pending = pending.dropFirst(length)
            case .emptyInput:
                return String(scalars)
            }
        }
    }

    /// The file-system bytes of `name` (no NUL terminator): carried bytes as themselves, the rest UTF-8.
    public static func encode(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if let byte = carriedByte(scalar) {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Calls `body` with `path` as a NUL-terminated C string of its file-system bytes (for `open`, `stat`
    /// and FFmpeg).
    public static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var bytes = encode(path).map { CChar(bitPattern: $0) }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `name` for people: each carried byte shown as `\xNN` (upper-case hex), everything else as it is.
    public static func displayed(_ name: String) -> String {
        guard holdsRawBytes(name) else { return name }
        var out = ""
        for scalar in name.unicodeScalars {
            if let byte = carriedByte(scalar) {
                out += "\\x" + String(byte, radix: 16, uppercase: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// True when `name` carries a byte that is not UTF-8.
    public static func holdsRawBytes(_ name: String) -> Bool {
        name.unicodeScalars.contains { carriedByte($0) != nil }
    }

    /// The byte a scalar carries, or nil for an ordinary scalar.
    static func carriedByte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= carrierBase + 0x80 && scalar.value <= carrierBase + 0xFF ? UInt8(scalar.value - carrierBase) : nil
    }
}
