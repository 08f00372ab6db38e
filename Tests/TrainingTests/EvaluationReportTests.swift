import XCTest
import Training

final class EvaluationReportTests: XCTestCase {
    /// Six images, worked out by hand.
    ///
    ///   image     1      2      3      4      5     6
    ///   true    angry  angry  happy  happy  sad   surprise
    ///   pred    angry  happy  happy  happy  angry surprise
    ///
    /// correct: images 1, 3, 4, 6 → accuracy 4/6 = 0.666…
    /// angry:    TP 1, predicted 2 (1, 5), support 2 → P 1/2, R 1/2, F1 1/2
    /// happy:    TP 2, predicted 3 (2, 3, 4), support 2 → P 2/3, R 1, F1 2·(2/3)·1 / (5/3) = 4/5
    /// sad:      TP 0, predicted 0, support 1 → P 0, R 0, F1 0
    /// surprise: TP 1, predicted 1, support 1 → P 1, R 1, F1 1
    /// disgust, fear, neutral: neither true nor predicted → all 0, left out of the macro means.
    /// macro-F1 = (1/2 + 4/5 + 0 + 1) / 4 = 2.3 / 4 = 0.575
    /// macro-P  = (1/2 + 2/3 + 0 + 1) / 4 = 13/24 = 0.541666…
    /// macro-R  = (1/2 + 1 + 0 + 1) / 4 = 0.625
    func testSixImageCase() {
        // angry 0, disgust 1, fear 2, happy 3, neutral 4, sad 5, surprise 6
        let report = EvaluationReport(classNames: ourClasses, truth: [0, 0, 3, 3, 5, 6], predicted: [0, 3, 3, 3, 0, 6])
        XCTAssertEqual(report.images, 6)
        XCTAssertEqual(report.correct, 4)
        XCTAssertEqual(report.accuracy, 4.0 / 6.0, accuracy: 1e-12)
        let m = report.perClass
        XCTAssertEqual(m[0], ClassMetrics(precision: 0.5, recall: 0.5, f1: 0.5, support: 2))
        XCTAssertEqual(m[3].precision, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(m[3].recall, 1)
        XCTAssertEqual(m[3].f1, 0.8, accuracy: 1e-12)
        XCTAssertEqual(m[3].support, 2)
        XCTAssertEqual(m[5], ClassMetrics(precision: 0, recall: 0, f1: 0, support: 1))
        XCTAssertEqual(m[6], ClassMetrics(precision: 1, recall: 1, f1: 1, support: 1))
        for absent in [1, 2, 4] { XCTAssertEqual(m[absent], ClassMetrics(precision: 0, recall: 0, f1: 0, support: 0)) }
        XCTAssertEqual(report.classesSeen, [0, 3, 5, 6])
        XCTAssertEqual(report.macroF1, 0.575, accuracy: 1e-12)
        XCTAssertEqual(report.macroPrecision, 13.0 / 24.0, accuracy: 1e-12)
        XCTAssertEqual(report.macroRecall, 0.625, accuracy: 1e-12)
        XCTAssertEqual(report.confusion[0], [1, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(report.confusion[3], [0, 0, 0, 2, 0, 0, 0])
        XCTAssertEqual(report.confusion[5], [1, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(report.confusion[6], [0, 0, 0, 0, 0, 0, 1])
    }

    /// The JSON carries the documented keys with the same numbers.
    func testJSONKeys() throws {
        let report = EvaluationReport(classNames: ourClasses, truth: [0, 0, 3, 3, 5, 6], predicted: [0, 3, 3, 3, 0, 6])
        let text = report.json(context: EvaluationContext(model: "C", data: "/d", split: "val"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["images"] as? Int, 6)
        XCTAssertEqual(try XCTUnwrap(object["accuracy"] as? Double), 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(object["macro_f1"] as? Double), 0.575, accuracy: 1e-12)
        XCTAssertEqual(object["split"] as? String, "val")
        let perClass = try XCTUnwrap(object["per_class"] as? [String: [String: Any]])
        XCTAssertEqual(Set(perClass.keys), Set(ourClasses))
        XCTAssertEqual(try XCTUnwrap(perClass["happy"]?["f1"] as? Double), 0.8, accuracy: 1e-12)
        XCTAssertEqual(perClass["sad"]?["support"] as? Int, 1)
        let confusion = try XCTUnwrap(object["confusion"] as? [[Int]])
        XCTAssertEqual(confusion[5], [1, 0, 0, 0, 0, 0, 0])
    }

    /// The CSV has one row per class (metrics + confusion row), a macro row and an accuracy row.
    func testCSVRows() {
        let report = EvaluationReport(classNames: ourClasses, truth: [0, 0, 3, 3, 5, 6], predicted: [0, 3, 3, 3, 0, 6])
        let rows = report.csv().split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 1 + 7 + 2)
        XCTAssertEqual(rows[0], "class,precision,recall,f1,support,pred_angry,pred_disgust,pred_fear,pred_happy,"
                       + "pred_neutral,pred_sad,pred_surprise")
        XCTAssertEqual(rows[1], "angry,0.5,0.5,0.5,2,1,0,0,1,0,0,0")
        XCTAssertEqual(rows[6], "sad,0.0,0.0,0.0,1,1,0,0,0,0,0,0")
        XCTAssertEqual(rows[8], "macro,0.5416666666666666,0.625,0.575,6,,,,,,,")
        XCTAssertEqual(rows[9], "accuracy,,,0.6666666666666666,6,,,,,,,")
    }

    /// The table shows the summary line and the confusion matrix rows.
    func testTable() {
        let report = EvaluationReport(classNames: ourClasses, truth: [0, 0, 3, 3, 5, 6], predicted: [0, 3, 3, 3, 0, 6])
        let table = report.table()
        XCTAssertTrue(table.hasPrefix("images: 6   accuracy: 66.67 %   macro-F1: 0.5750\n"), table)
        XCTAssertTrue(table.contains("\nhappy          0.6667   1.0000   0.8000        2\n"), table)
        // Confusion columns are as wide as the longest class name plus one (9).
        let sadRow = "sad       " + "        1" + String(repeating: "        0", count: 6)
        XCTAssertTrue(table.contains("\n" + sadRow + "\n"), table)
    }
}
