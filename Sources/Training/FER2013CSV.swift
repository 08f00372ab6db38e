import Foundation

/// Reads the original FER2013 release: one CSV file with the columns `emotion,pixels,Usage` (any order, any
/// case, as named by its header), pixels as space-separated 0...255 values of a square gray image.
///
/// FER2013's integer labels have their own order (0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise,
/// 6 neutral); they are mapped to the given class names. `Usage` values map to splits: `Training` → `train`,
/// `PublicTest` → `val`, `PrivateTest` → `test`. Without a `Usage` column every row is in `train`.
public enum FER2013CSV {
    /// FER2013's class names in the order of its integer labels.
    public static let labelNames = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

    /// The split each FER2013 `Usage` value (lowercased) belongs to.
    public static let splitForUsage = ["training": "train", "publictest": "val", "privatetest": "test"]

    /// The `Usage` value of each split, as FER2013 spells it.
    public static let usageForSplit = ["train": "Training", "val": "PublicTest", "test": "PrivateTest"]

    /// What a CSV file holds: the rows of each split, and whether a `Usage` column assigned them.
    public struct SplitSummary: Equatable, Sendable, CustomStringConvertible {
        /// Rows per split (`train`, `val`, `test`), whether requested or not.
        public var rows: [String: Int] = [:]
        public var hasUsageColumn = false

        public init() {}

        /// `train (Usage Training, 140 rows), val (Usage PublicTest, 70 rows)`, in train, val, test order.
        public var description: String {
            let order = ["train", "val", "test"]
            let present = rows.keys.sorted { (order.firstIndex(of: $0) ?? 3, $0) < (order.firstIndex(of: $1) ?? 3, $1) }
            return present.map { split in
                let usage = hasUsageColumn ? usageForSplit[split].map { "Usage \($0), " } ?? "" : "no Usage column, "
                let count = rows[split]!
                return "\(split) (\(usage)\(count) row\(count == 1 ? "" : "s"))"
            }.joined(separator: ", ")
        }
    }

    /// Loads the rows of `splits` from the CSV file at `url`, as images resized to `side × side` and
    /// labelled with indices into `classNames`. Every row is checked, whichever split it is in; the first
    /// bad row stops the load with an error naming its line.
    public static func load(_ url: URL, splits: Set<String>, side: Int, classNames: [String],
                            resize: ImageResizer) throws -> [String: ImageDataset] {
        var summary = SplitSummary()
        return try load(url, splits: splits, side: side, classNames: classNames, resize: resize, summary: &summary)
    }

    /// `load`, also filling `summary` with the rows of every split in the file.
    public static func load(_ url: URL, splits: Set<String>, side: Int, classNames: [String],
                            resize: ImageResizer, summary: inout SplitSummary) throws -> [String: ImageDataset] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError(url, "cannot read the file (\(error.localizedDescription))")
        }
        let resolver = ClassNameResolver(classNames: classNames)
        var labelMap: [Int] = []
        for name in labelNames {
            guard let index = resolver.index(of: name) else {
                throw TrainingError(url, "FER2013 class '\(name)' is not among the model's classes \(classNames)")
            }
            labelMap.append(index)
        }
        var result: [String: ImageDataset] = [:]
        for split in splits {
            result[split] = ImageDataset(side: side, classNames: classNames,
                                         source: "\(url.lastPathComponent)/\(split)")
        }

        var columns: (emotion: Int, pixels: Int, usage: Int?)?
        var columnCount = 0
        var rows = 0
        var pixelBuffer: [UInt8] = []
        try forEachLine(of: data) { lineNumber, line in
            func fail(_ problem: String) -> TrainingError {
                TrainingError("\(url.path):\(lineNumber): \(problem)")
            }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return }
            let fields = splitFields(line)
            guard let layout = columns else {
                let names = fields.map { String(decoding: $0, as: UTF8.self)
                    .trimmingCharacters(in: .whitespaces).lowercased() }
                guard let emotion = names.firstIndex(of: "emotion"),
                      let pixels = names.firstIndex(of: "pixels") else {
                    throw fail("expected a header naming the columns emotion, pixels and Usage; found "
                               + "'\(String(decoding: line, as: UTF8.self).prefix(80))'")
                }
                columns = (emotion, pixels, names.firstIndex(of: "usage"))
                summary.hasUsageColumn = columns?.usage != nil
                columnCount = fields.count
                return
            }
            guard fields.count == columnCount else {
                throw fail("expected \(columnCount) comma-separated fields, found \(fields.count)")
            }
            let emotionText = String(decoding: fields[layout.emotion], as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            guard let emotion = Int(emotionText), labelMap.indices.contains(emotion) else {
                throw fail("emotion must be an integer 0...6, found '\(emotionText)'")
            }
            var split = "train"
            if let usageColumn = layout.usage {
                let usage = String(decoding: fields[usageColumn], as: UTF8.self)
                    .trimmingCharacters(in: .whitespaces)
                guard let mapped = splitForUsage[usage.lowercased()] else {
                    throw fail("Usage must be Training, PublicTest or PrivateTest, found '\(usage)'")
                }
                split = mapped
            }
            try parsePixels(fields[layout.pixels], into: &pixelBuffer, fail: fail)
            let width = Int(Double(pixelBuffer.count).squareRoot().rounded())
            guard width > 0, width * width == pixelBuffer.count else {
                throw fail("pixels must hold a square image (48×48 = 2304 values), found \(pixelBuffer.count) values")
            }
            rows += 1
            summary.rows[split, default: 0] += 1
            if result[split] != nil {
                let image = width == side ? pixelBuffer : resize(pixelBuffer, width, width, side)
                result[split]!.append(image, label: labelMap[emotion])
            }
        }
        if columns == nil { throw TrainingError(url, "the file is empty (expected a FER2013 CSV with a header)") }
        if rows == 0 { throw TrainingError(url, "the CSV has a header but no image rows") }
        return result
    }

    /// Calls `body` with each line's bytes (without the line break) and its 1-based line number.
    private static func forEachLine(of data: Data,
                                    _ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        let bytes = [UInt8](data)
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            var stop = end
            if stop > start && bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            var first = start
            if lineNumber == 1 && stop - first >= 3 && bytes[first] == 0xEF && bytes[first + 1] == 0xBB
                && bytes[first + 2] == 0xBF { first += 3 }   // UTF-8 byte-order mark
            try body(lineNumber, bytes[first..<stop])
            start = end + 1
        }
    }

    /// Splits one CSV line into fields; a field may be wrapped in double quotes (`""` inside is a quote).
    private static func splitFields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var fields: [ArraySlice<UInt8>] = []
        var index = line.startIndex
        while true {
            if index < line.endIndex && line[index] == UInt8(ascii: "\"") {
                // Quoted field: runs to the closing quote; FER2013 never escapes quotes inside.
                let open = index + 1
                var close = open
                while close < line.endIndex && line[close] != UInt8(ascii: "\"") { close += 1 }
                fields.append(line[open..<close])
                index = close + 1
                while index < line.endIndex && line[index] != UInt8(ascii: ",") { index += 1 }
            } else {
                var end = index
                while end < line.endIndex && line[end] != UInt8(ascii: ",") { end += 1 }
                fields.append(line[index..<end])
                index = end
            }
            if index >= line.endIndex { break }
            index += 1   // the comma
            if index == line.endIndex { fields.append(line[index..<index]); break }
        }
        return fields
    }

    /// Parses space-separated decimal values 0...255.
    private static func parsePixels(_ field: ArraySlice<UInt8>, into buffer: inout [UInt8],
                                    fail: (String) -> TrainingError) throws {
        buffer.removeAll(keepingCapacity: true)
        var value = -1   // the value being read; -1 between values
        var start = field.startIndex   // where it began
        func finish(at end: Int) throws {
            guard value >= 0 else { return }
            guard value <= 255 else {
                // `value` is capped at 1000 while reading; the digits themselves say what the file holds.
                let digits = String(decoding: field[start..<end], as: UTF8.self)
                let shown = digits.count > 12 ? String(digits.prefix(12)) + "… (\(digits.count) digits)" : digits
                throw fail("pixel value \(shown) is above 255 (pixel \(buffer.count + 1))")
            }
            buffer.append(UInt8(value))
            value = -1
        }
        for index in field.indices {
            let byte = field[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if value < 0 { start = index }
                value = min((value < 0 ? 0 : value * 10) + Int(byte - UInt8(ascii: "0")), 1000)
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                try finish(at: index)
            } else {
                throw fail("pixels must be space-separated integers 0...255; found '\(Character(Unicode.Scalar(byte)))' "
                           + "in pixel \(buffer.count + 1)")
            }
        }
        try finish(at: field.endIndex)
    }
}

/// Resizes a `width × height` gray image to `side × side` (the model's preprocessing supplies it).
public typealias ImageResizer = @Sendable (_ pixels: [UInt8], _ width: Int, _ height: Int, _ side: Int) -> [UInt8]
