/// Precision, recall and F1 of one class.
public struct ClassMetrics: Codable, Equatable, Sendable {
    /// TP / (TP + FP); 0 when the class was never predicted.
    public var precision: Double
    /// TP / (TP + FN); 0 when the class has no image.
    public var recall: Double
    /// 2·P·R / (P + R); 0 when P + R = 0.
    public var f1: Double
    /// Images whose true class this is.
    public var support: Int

    public init(precision: Double, recall: Double, f1: Double, support: Int) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

/// How well predicted classes match true classes: top-1 accuracy, per-class precision/recall/F1, macro-F1
/// and the confusion matrix.
public struct EvaluationReport: Equatable, Sendable {
    /// Class names, in class-index order (rows and columns of `confusion`).
    public let classNames: [String]
    /// `confusion[t][p]`: images of true class t predicted as class p.
    public let confusion: [[Int]]

    /// Builds the report from one true and one predicted class index per image.
    public init(classNames: [String], truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count, "EvaluationReport: one prediction per image")
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classNames.count), count: classNames.count)
        for (t, p) in zip(truth, predicted) { confusion[t][p] += 1 }
        self.init(classNames: classNames, confusion: confusion)
    }

    /// Builds the report from a confusion matrix (`confusion[true][predicted]`).
    public init(classNames: [String], confusion: [[Int]]) {
        self.classNames = classNames
        self.confusion = confusion
    }

    /// Number of images evaluated.
    public var images: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Images whose predicted class is the true class.
    public var correct: Int { classNames.indices.reduce(0) { $0 + confusion[$1][$1] } }

    /// Top-1 accuracy as a fraction (0 for an empty set).
    public var accuracy: Double { images == 0 ? 0 : Double(correct) / Double(images) }

    /// Precision, recall, F1 and support of each class, in class-index order.
    public var perClass: [ClassMetrics] {
        classNames.indices.map { c in
            let tp = confusion[c][c]
            let support = confusion[c].reduce(0, +)
            let predictedCount = confusion.reduce(0) { $0 + $1[c] }
            let precision = predictedCount == 0 ? 0 : Double(tp) / Double(predictedCount)
            let recall = support == 0 ? 0 : Double(tp) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassMetrics(precision: precision, recall: recall, f1: f1, support: support)
        }
    }

    /// The classes that occur among the true or the predicted classes (scikit-learn's default label set
    /// for averaging): a class absent from both says nothing about the model and is left out of the mean.
    public var classesSeen: [Int] {
        classNames.indices.filter { c in
            confusion[c].reduce(0, +) > 0 || confusion.contains { $0[c] > 0 }
        }
    }

    /// The unweighted mean F1 over `classesSeen`.
    public var macroF1: Double { macroMean(\.f1) }
    /// The unweighted mean precision over `classesSeen`.
    public var macroPrecision: Double { macroMean(\.precision) }
    /// The unweighted mean recall over `classesSeen` (balanced accuracy).
    public var macroRecall: Double { macroMean(\.recall) }

    private func macroMean(_ value: KeyPath<ClassMetrics, Double>) -> Double {
        let seen = classesSeen
        guard !seen.isEmpty else { return 0 }
        let metrics = perClass
        return seen.reduce(0) { $0 + metrics[$1][keyPath: value] } / Double(seen.count)
    }
}
