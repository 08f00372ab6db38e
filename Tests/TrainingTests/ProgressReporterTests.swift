import XCTest
import Training

final class ProgressReporterTests: XCTestCase {
    private let summary = EpochSummary(epoch: 3, trainLoss: 1.23456, crossEntropy: 1.1, distillation: 0.66789,
                                       trainAccuracy: 0.54321, valAccuracy: 0.581, valMacroF1: 0.5, learningRate: 0.009045,
                                       imagesPerSecond: 412.4, seconds: 70.06, isBest: true)

    /// The epoch line carries loss (CE and KD parts when distilling), train and val accuracy, learning rate,
    /// images/s, epoch time and ETA.
    func testEpochLine() {
        XCTAssertEqual(summary.line(totalEpochs: 40, eta: 2590),
                       "epoch  3/40  loss 1.2346 (ce 1.1000, kd 0.6679)  train 54.32 %  val 58.10 % best  lr 0.009045  "
                       + "412 img/s  70.1 s  ETA 43m10s")
        var plain = summary
        plain.distillation = nil
        plain.valAccuracy = nil
        XCTAssertEqual(plain.line(totalEpochs: 9, eta: nil),
                       "epoch 3/9  loss 1.2346  train 54.32 %  lr 0.009045  412 img/s  70.1 s")
        XCTAssertEqual([EpochSummary.duration(44.6), EpochSummary.duration(725), EpochSummary.duration(11_280)],
                       ["45s", "12m05s", "3h08m"])
    }

    /// Piped output: a plain progress line per interval (here every update), then the epoch line.
    func testLinesStyle() {
        var lines: [String] = [], bars: [String] = []
        let reporter = ProgressReporter(style: .lines(interval: 0), writeLine: { lines.append($0) },
                                        writeBar: { bars.append($0) })
        reporter.beginEpoch(3, of: 40, images: 128)
        reporter.update(imagesDone: 64, loss: 1.5, accuracy: 0.25)
        reporter.update(imagesDone: 128, loss: 1.4, accuracy: 0.5)   // the epoch line follows: no progress line
        reporter.endEpoch(summary, eta: nil)
        XCTAssertEqual(bars, [])
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("  epoch 3/40: 64/128 images  loss 1.5000  acc 25.00 %  "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("epoch  3/40  loss 1.2346"), lines[1])
    }

    /// Terminal: the bar is redrawn in place and erased before the epoch line.
    func testBarStyle() {
        var lines: [String] = [], bars: [String] = []
        let reporter = ProgressReporter(style: .bar, writeLine: { lines.append($0) }, writeBar: { bars.append($0) })
        reporter.beginEpoch(1, of: 2, images: 100)
        reporter.update(imagesDone: 100, loss: 1, accuracy: 1)
        reporter.endEpoch(summary, eta: nil)
        XCTAssertEqual(bars.count, 2)
        XCTAssertTrue(bars[0].hasPrefix("\r\u{1B}[2Kepoch 1/2 [" + String(repeating: "#", count: 30) + "] 100/100  loss 1.0000"),
                      bars[0])
        XCTAssertEqual(bars[1], "\r\u{1B}[2K")
        XCTAssertEqual(lines.count, 1)
    }
}
