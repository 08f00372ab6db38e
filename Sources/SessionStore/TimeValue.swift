import Foundation

/// Times as people write them in task files and on the command line: plain seconds (`75`, `75.5`) or
/// `[hh:]mm:ss[.fff]` (`1:15`, `01:15.500`, `1:01:15`).
public enum TimeValue {
    /// The number of seconds `text` denotes, or nil when it is not a time.
    ///
    /// Rules: surrounding spaces are ignored; no sign, exponent, `inf` or `nan`. In the clock form the
    /// seconds field has two digits and an optional fraction; it and a minutes field that follows hours
    /// must be below 60; the leading field may be any whole number (`90:00` is 90 minutes).
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let fields = trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(fields.count) else { return nil }
        guard let last = decimal(fields[fields.count - 1]) else { return nil }
        if fields.count == 1 { return last }
        let secondsField = fields[fields.count - 1]
        let wholeDigits = secondsField.prefix { $0 != "." }
        guard wholeDigits.count == 2, last < 60 else { return nil }
        var total = last
        var scale = 60.0
        for (index, field) in fields.dropLast().reversed().enumerated() {
            guard !field.isEmpty, field.allSatisfy(\.isASCIIDigit), let value = Double(field) else { return nil }
            let isLeading = index == fields.count - 2
            if !isLeading, value >= 60 { return nil }
            total += value * scale
            scale *= 60
        }
        return total
    }

    /// A non-negative decimal number: digits, optionally a point and more digits.
    private static func decimal(_ text: String) -> Double? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else {
            return nil
        }
        if parts.count == 2, parts[1].isEmpty { return nil }
        return Double(text)
    }

    /// `seconds` as `[h:]mm:ss.fff` (`75.5` → `1:15.500`, `3725` → `1:02:05.000`).
    /// Times beyond a million hours (or not finite) are written as plain seconds (`1e+20 s`).
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 3.6e9 else { return "\(seconds) s" }
        let millis = Int((abs(seconds) * 1000).rounded())
        let sign = seconds < 0 && millis > 0 ? "-" : ""
        let (h, m, s, ms) = (millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000)
        let tail = String(format: "%02d:%02d.%03d", m, s, ms)
        return h > 0 ? "\(sign)\(h):\(tail)" : "\(sign)\(m):\(String(format: "%02d.%03d", s, ms))"
    }
}

extension Character {
    /// `0`...`9` only (not other Unicode digits).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
