import Foundation

/// Finds the lines of task entries in JSON text, so that errors can name them (JSON parsers report
/// values, not positions).
enum JSONEntryLocator {
    /// Calls `visit` with each structural byte outside strings (`{ } [ ] :`), its 1-based line and the
    /// raw bytes of the string read last (escapes kept as written); `visit` returns false to stop.
    private static func structure(of data: Data, _ visit: (_ byte: UInt8, _ line: Int, _ lastString: [UInt8]) -> Bool) {
        var line = 1
        var inString = false, escaped = false
        var lastString: [UInt8] = []
        for byte in data {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false }
                else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false; continue }
                lastString.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                lastString = []
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":"):
                if !visit(byte, line, lastString) { return }
            default:
                break
            }
        }
    }

    /// The 1-based line of each object that is an element of the top-level array, or of the array under
    /// the top-level key `"tasks"`, in order.
    static func entryLines(in data: Data) -> [Int] {
        var lines: [Int] = []
        var stack: [UInt8] = []           // open brackets: `[` or `{`
        var keyAtTop: [UInt8] = []        // the key whose value is being read in the top-level object
        structure(of: data) { byte, line, lastString in
            switch byte {
            case UInt8(ascii: ":"):
                if stack == [UInt8(ascii: "{")] { keyAtTop = lastString }
            case UInt8(ascii: "{"):
                if stack == [UInt8(ascii: "[")]
                    || (stack == [UInt8(ascii: "{"), UInt8(ascii: "[")] && keyAtTop == Array("tasks".utf8)) {
                    lines.append(line)
                }
                stack.append(byte)
            case UInt8(ascii: "["):
                stack.append(byte)
            default:                      // `}` or `]`
                if !stack.isEmpty { stack.removeLast() }
            }
            return true
        }
        return lines
    }

    /// The first key that appears twice in one object, with its line (JSON parsers keep one of the two
    /// values silently); nil when every object's keys are distinct. Run on text that parsed as JSON.
    static func duplicateKey(in data: Data) -> (key: String, line: Int)? {
        var keys: [Set<[UInt8]>?] = []    // per open bracket: the keys seen so far (nil for arrays)
        var found: (key: String, line: Int)?
        structure(of: data) { byte, line, lastString in
            switch byte {
            case UInt8(ascii: ":"):
                guard let last = keys.indices.last, keys[last] != nil else { return true }
                if keys[last]!.contains(lastString) {
                    found = (String(decoding: lastString, as: UTF8.self), line)
                    return false
                }
                keys[last]!.insert(lastString)
            case UInt8(ascii: "{"): keys.append([])
            case UInt8(ascii: "["): keys.append(nil)
            default: if !keys.isEmpty { keys.removeLast() }
            }
            return true
        }
        return found
    }

    /// The last line of `data` when the text ends inside a string or with a `[` or `{` still open (a file
    /// cut short); nil when it does not.
    static func truncatedEnd(in data: Data) -> Int? {
        var depth = 0
        structure(of: data) { byte, _, _ in
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
            return true
        }
        var inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            }
        }
        guard depth > 0 || inString else { return nil }
        var end = data.endIndex
        while end > data.startIndex, data[end - 1] == UInt8(ascii: "\n") || data[end - 1] == UInt8(ascii: " ")
                || data[end - 1] == UInt8(ascii: "\r") || data[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return 1 + data[..<end].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// The line of a JSON syntax error, from the byte offset Foundation's parser reports ("around
    /// character N"); nil when the error names no offset.
    static func errorLine(in data: Data, error: Error) -> Int? {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        guard let range = text.range(of: "character ") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isASCIIDigit }
        guard let offset = Int(digits) else { return nil }
        return 1 + data.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}
