import Foundation

/// What was evaluated, printed above the numbers and carried in the JSON.
public struct EvaluationContext: Codable, Equatable, Sendable {
    public var model: String
    public var data: String
    public var split: String
    /// How the faces were cropped when not as the dataset registers them (e.g. through a detector), or nil.
    public var crops: String?

    public init(model: String, data: String, split: String, crops: String? = nil) {
        self.model = model
        self.data = data
        self.split = split
        self.crops = crops
    }
}

extension EvaluationReport {
    /// A human-readable table: summary, per-class metrics and the confusion matrix.
    public func table(context: EvaluationContext? = nil) -> String {
        var lines: [String] = []
        if let context {
            lines.append("model: \(context.model)")
            lines.append("data:  \(context.data) (split \(context.split))")
            if let crops = context.crops { lines.append("crops: \(crops)") }
        }
        lines.append("images: \(images)   accuracy: \(String(format: "%.2f", accuracy * 100)) %   "
                     + "macro-F1: \(String(format: "%.4f", macroF1))")
        lines.append("")
        let nameWidth = max(8, (classNames.map(\.count).max() ?? 0) + 2)
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? fill + s : s + fill
        }
        lines.append(pad("class", nameWidth) + pad("precision", 11, left: true) + pad("recall", 9, left: true)
                     + pad("f1", 9, left: true) + pad("support", 9, left: true))
        for (name, m) in zip(classNames, perClass) {
            lines.append(pad(name, nameWidth) + pad(String(format: "%.4f", m.precision), 11, left: true)
                         + pad(String(format: "%.4f", m.recall), 9, left: true)
                         + pad(String(format: "%.4f", m.f1), 9, left: true)
                         + pad(String(m.support), 9, left: true))
        }
        lines.append(pad("macro", nameWidth) + pad(String(format: "%.4f", macroPrecision), 11, left: true)
                     + pad(String(format: "%.4f", macroRecall), 9, left: true)
                     + pad(String(format: "%.4f", macroF1), 9, left: true) + pad(String(images), 9, left: true))
        lines.append("")
        lines.append("confusion matrix (rows: true class, columns: predicted class)")
        let columnWidth = max(6, (classNames.map(\.count).max() ?? 0) + 1)
        lines.append(pad("", nameWidth) + classNames.map { pad($0, columnWidth, left: true) }.joined())
        for (name, row) in zip(classNames, confusion) {
            lines.append(pad(name, nameWidth) + row.map { pad(String($0), columnWidth, left: true) }.joined())
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV: one row per true class with its metrics and its confusion-matrix row (`pred_<class>` columns),
    /// then a `macro` row (macro precision/recall/F1, all images) and an `accuracy` row.
    public func csv() -> String {
        var lines = ["class,precision,recall,f1,support," + classNames.map { "pred_\($0)" }.joined(separator: ",")]
        for (c, m) in perClass.enumerated() {
            lines.append("\(classNames[c]),\(m.precision),\(m.recall),\(m.f1),\(m.support),"
                         + confusion[c].map(String.init).joined(separator: ","))
        }
        let blanks = String(repeating: ",", count: classNames.count)
        lines.append("macro,\(macroPrecision),\(macroRecall),\(macroF1),\(images)" + blanks)
        lines.append("accuracy,,,\(accuracy),\(images)" + blanks)
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON with `images`, `accuracy` (a fraction), `macro_f1`, `macro_precision`, `macro_recall`,
    /// `labels`, `per_class` (keyed by class name) and `confusion` (`[true][predicted]`), plus the context.
    public func json(context: EvaluationContext? = nil) -> String {
        let document = EvaluationJSON(
            images: images, correct: correct, accuracy: accuracy, macro_f1: macroF1,
            macro_precision: macroPrecision, macro_recall: macroRecall, labels: classNames,
            per_class: Dictionary(uniqueKeysWithValues: zip(classNames, perClass)),
            confusion: confusion, model: context?.model, data: context?.data, split: context?.split,
            crops: context?.crops)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain numbers, strings and arrays cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// The JSON document of `EvaluationReport.json` (snake_case keys, as scripts expect).
private struct EvaluationJSON: Encodable {
    var images: Int
    var correct: Int
    var accuracy: Double
    var macro_f1: Double
    var macro_precision: Double
    var macro_recall: Double
    var labels: [String]
    var per_class: [String: ClassMetrics]
    var confusion: [[Int]]
    var model: String?
    var data: String?
    var split: String?
    var crops: String?
}
