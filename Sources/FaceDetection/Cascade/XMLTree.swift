/// One element of a parsed XML document: its name, attributes, child elements and the character data
/// directly inside it. Enough of XML for OpenCV `FileStorage` files; no namespaces, no DTD processing.
struct XMLElementNode {
    var name: String
    var attributes: [String: String] = [:]
    var children: [XMLElementNode] = []
    /// The element's own character data (not its children's), entities decoded.
    var text: String = ""
    /// The 1-based line of the element's start tag.
    var line: Int

    /// The first child element named `name`.
    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// The text split at whitespace (a CR LF pair is one `Character`, so test `isWhitespace`).
    var tokens: [Substring] { text.split(whereSeparator: \.isWhitespace) }
}

/// A syntax error at a line of an XML document.
struct XMLSyntaxError: Error {
    let line: Int
    let message: String
}

/// A small non-validating XML parser that builds an `XMLElementNode` tree. It accepts the XML that
/// OpenCV writes (declaration, comments, elements, attributes, character data, CDATA, the predefined
/// and numeric entities) and reports truncation and mismatched tags with a line number.
struct XMLTreeParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a whole document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws -> XMLElementNode {
        var parser = XMLTreeParser(bytes: bytes)
        return try parser.parseDocument()
    }

    private mutating func parseDocument() throws -> XMLElementNode {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var text: [UInt8] = []

        while index < bytes.count {
            let byte = bytes[index]
            if byte != UInt8(ascii: "<") {
                if byte == UInt8(ascii: "\n") { line += 1 }
                if stack.isEmpty {
                    if !Self.isSpace(byte) {
                        throw XMLSyntaxError(line: line, message: "character data outside the root element")
                    }
                } else {
                    text.append(byte)
                }
                index += 1
                continue
            }
            if matches("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if matches("<!--") {
                try skip(past: "-->", what: "comment")
            } else if matches("<![CDATA[") {
                guard !stack.isEmpty else {
                    throw XMLSyntaxError(line: line, message: "CDATA section outside the root element")
                }
                index += 9
                let start = index
                try skip(past: "]]>", what: "CDATA section")
                text.append(contentsOf: bytes[start..<(index - 3)])
            } else if matches("<!") {
                try skip(past: ">", what: "declaration")
            } else if matches("</") {
                let tagLine = line
                index += 2
                let name = readName()
                skipSpace()
                guard index < bytes.count else { throw truncated(stack) }
                guard bytes[index] == UInt8(ascii: ">") else {
                    throw XMLSyntaxError(line: line, message: "malformed end tag </\(name)")
                }
                index += 1
                guard var element = stack.popLast() else {
                    throw XMLSyntaxError(line: tagLine, message: "end tag </\(name)> without a start tag")
                }
                guard element.name == name else {
                    throw XMLSyntaxError(
                        line: tagLine,
                        message: "end tag </\(name)> does not match <\(element.name)> opened on line \(element.line)")
                }
                element.text += try decodeEntities(text, line: tagLine)
                text.removeAll(keepingCapacity: true)
                if stack.isEmpty {
                    guard root == nil else {
                        throw XMLSyntaxError(line: element.line, message: "more than one root element")
                    }
                    root = element
                } else {
                    stack[stack.count - 1].children.append(element)
                }
            } else {
                if !stack.isEmpty {
                    stack[stack.count - 1].text += try decodeEntities(text, line: line)
                    text.removeAll(keepingCapacity: true)
                }
                if stack.isEmpty, root != nil {
                    throw XMLSyntaxError(line: line, message: "more than one root element")
                }
                let (element, selfClosing) = try readStartTag(stack)
                if selfClosing {
                    if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                } else {
                    stack.append(element)
                }
            }
        }
        if !stack.isEmpty { throw truncated(stack) }
        guard let root else { throw XMLSyntaxError(line: line, message: "no root element (empty document)") }
        return root
    }

    private func truncated(_ stack: [XMLElementNode]) -> XMLSyntaxError {
        let open = stack.last.map { "<\($0.name)> opened on line \($0.line) is not closed" } ?? "unclosed tag"
        return XMLSyntaxError(line: line, message: "unexpected end of file (truncated?): \(open)")
    }

    private mutating func readStartTag(_ stack: [XMLElementNode]) throws -> (XMLElementNode, Bool) {
        let tagLine = line
        index += 1
        let name = readName()
        guard !name.isEmpty else { throw XMLSyntaxError(line: line, message: "malformed start tag") }
        var element = XMLElementNode(name: name, line: tagLine)
        while true {
            skipSpace()
            guard index < bytes.count else { throw truncated(stack + [element]) }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                return (element, false)
            }
            if matches("/>") {
                index += 2
                return (element, true)
            }
            let attribute = readName()
            skipSpace()
            guard !attribute.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                if index >= bytes.count { throw truncated(stack + [element]) }
                throw XMLSyntaxError(line: line, message: "malformed attribute in <\(name)>")
            }
            index += 1
            skipSpace()
            guard index < bytes.count else { throw truncated(stack + [element]) }
            let quote = bytes[index]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw XMLSyntaxError(line: line, message: "unquoted attribute value in <\(name)>")
            }
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                if bytes[index] == UInt8(ascii: "\n") { line += 1 }
                index += 1
            }
            guard index < bytes.count else { throw truncated(stack + [element]) }
            element.attributes[attribute] = try decodeEntities(Array(bytes[start..<index]), line: line)
            index += 1
        }
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if Self.isSpace(b) || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
                || b == UInt8(ascii: "<") { break }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipSpace() {
        while index < bytes.count, Self.isSpace(bytes[index]) {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { pattern in
            for k in 0..<count where bytes[index + k] != pattern[k] { return false }
            return true
        }
    }

    /// Moves past the next occurrence of `terminator`; a missing terminator means the file was cut short.
    private mutating func skip(past terminator: StaticString, what: String) throws {
        let startLine = line
        while index < bytes.count {
            if matches(terminator) {
                index += terminator.utf8CodeUnitCount
                return
            }
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        throw XMLSyntaxError(line: startLine, message: "unexpected end of file (truncated?) inside a \(what)")
    }

    private func decodeEntities(_ raw: [UInt8], line: Int) throws -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            guard raw[k] == UInt8(ascii: "&") else {
                out.append(raw[k])
                k += 1
                continue
            }
            guard let end = raw[k...].firstIndex(of: UInt8(ascii: ";")) else {
                throw XMLSyntaxError(line: line, message: "unterminated entity reference")
            }
            let entity = String(decoding: raw[(k + 1)..<end], as: UTF8.self)
            let scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
            }
            guard let scalar else { throw XMLSyntaxError(line: line, message: "unknown entity &\(entity);") }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            k = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
    }
}
