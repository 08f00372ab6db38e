import Foundation

/// Number formatting shared by the CSV, table, JSON and HTML outputs (C locale, never `-0`).
enum Formatting {
    /// `value` with a fixed number of decimals (`0.5` → `0.5000` for 4).
    static func number(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { text.removeFirst() }
        return text
    }

    /// The shortest plain form (`30`, `7.5`), for numbers in words.
    static func compact(_ value: Double) -> String { String(format: "%g", value) }

    /// `value` formatted, or the empty string for nil.
    static func optional(_ value: Double?, decimals: Int) -> String {
        value.map { number($0, decimals: decimals) } ?? ""
    }

    /// Decimals used for each kind of value.
    static let timeDecimals = 3
    static let fractionDecimals = 4
    static let scoreDecimals = 2
}
