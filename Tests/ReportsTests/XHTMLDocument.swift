import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A report page parsed with Foundation's XMLParser (a strict XML parser): every element in document
/// order with its attributes and its text (its own and its descendants').
struct XHTMLDocument {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text: String
        let depth: Int
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var elements: [Element] = []

    init(_ text: String) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseError(description: "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): "
                             + "\(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        elements = collector.elements
    }

    /// Elements whose `class` attribute lists `name`.
    func withClass(_ name: String) -> [Element] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(name)) }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            open.append(elements.count)
            elements.append(Element(name: name, attributes: attributes, text: "", depth: open.count))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            for index in open { elements[index].text += string }
        }
    }
}
