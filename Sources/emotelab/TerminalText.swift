import FileNames

/// Text bound for the terminal. Names come from files and users (task names, file names), and a control
/// character in one (an escape sequence) could recolour, retitle or rewrite the user's terminal, or fake
/// a line of output; such characters are shown escaped instead: `\n`, `\r`, `\t`, and `\u{1B}` for the
/// other C0 controls, DEL and the C1 controls. Bytes of file names that are not UTF-8 show as `\xNN`
/// (`RawFileName`).
enum TerminalText {
    /// `text` with its control characters escaped.
    static func escaped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in RawFileName.displayed(text).unicodeScalars {
            switch scalar {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case _ where isControl(scalar):
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` escaped, as one line ending with a newline.
    static func line(_ text: String) -> String { escaped(text) + "\n" }

    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
