/// Escaping for text and attribute values in the XHTML pages (reports, study pages, clip indexes).
public enum XMLText {
    /// `text` safe inside an element or a quoted attribute: `& < > " '` become entities, and characters
    /// XML 1.0 forbids (controls other than tab, LF, CR; lone surrogates cannot occur in Swift strings;
    /// U+FFFE, U+FFFF) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
