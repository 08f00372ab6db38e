import Foundation

/// Shows training progress: one line per epoch always, and within the epoch either a live bar redrawn in
/// place (on a terminal) or a plain progress line at most every `lineInterval` seconds (when piped to a log).
public final class ProgressReporter {
    public enum Style: Sendable, Equatable {
        /// A bar on standard error, redrawn with `\r`.
        case bar
        /// Plain progress lines on standard output, at most one per interval (seconds).
        case lines(interval: Double)
        /// Epoch lines only.
        case epochsOnly
    }

    public let style: Style
    private let writeLine: (String) -> Void
    private let writeBar: (String) -> Void
    private let writeWarning: (String) -> Void
    private var epoch = 0, totalEpochs = 0, images = 0
    private var started = Date()
    private var lastShown = Date.distantPast
    private var barVisible = false

    /// A reporter printing epoch lines with `writeLine`, live bars with `writeBar` and `warning:` lines
    /// with `writeWarning` (by default `writeLine`).
    public init(style: Style, writeLine: @escaping (String) -> Void, writeBar: @escaping (String) -> Void,
                writeWarning: ((String) -> Void)? = nil) {
        self.style = style
        self.writeLine = writeLine
        self.writeBar = writeBar
        self.writeWarning = writeWarning ?? writeLine
    }

    /// Lines to standard output, warnings to standard error (as `evaluate` and `analyze` write them); a
    /// bar on standard error when it is a terminal, else a line a minute.
    public static func standard() -> ProgressReporter {
        let style: Style = isatty(STDERR_FILENO) == 1 ? .bar : .lines(interval: 60)
        return ProgressReporter(style: style, writeLine: { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }, writeBar: { text in
            FileHandle.standardError.write(Data(text.utf8))
        }, writeWarning: { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        })
    }

    /// A `warning: text` line of its own (on standard error with `standard()`).
    public func warn(_ text: String) {
        clearBar()
        writeWarning("warning: " + text)
    }

    /// A note of its own (loading, resuming, stopping), on its own line.
    public func note(_ text: String) {
        clearBar()
        writeLine(text)
    }

    /// Starts an epoch of `images` training images.
    public func beginEpoch(_ epoch: Int, of totalEpochs: Int, images: Int) {
        self.epoch = epoch
        self.totalEpochs = totalEpochs
        self.images = images
        started = Date()
        lastShown = Date()
    }

    /// Reports the images done so far in this epoch and the running mean loss and accuracy.
    public func update(imagesDone: Int, loss: Double, accuracy: Double) {
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(imagesDone) / elapsed : 0
        let left = rate > 0 ? Double(images - imagesDone) / rate : 0
        switch style {
        case .bar:
            guard now.timeIntervalSince(lastShown) >= 0.2 || imagesDone == images else { return }
            lastShown = now
            let fraction = images > 0 ? Double(imagesDone) / Double(images) : 1
            let width = 30
            let filled = min(width, Int(fraction * Double(width)))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            writeBar("\r\u{1B}[2Kepoch \(epoch)/\(totalEpochs) [\(bar)] \(imagesDone)/\(images)  "
                     + String(format: "loss %.4f  acc %.2f %%  %.0f img/s  ", loss, accuracy * 100, rate)
                     + EpochSummary.duration(left) + " left")
            barVisible = true
        case .lines(let interval):
            guard now.timeIntervalSince(lastShown) >= interval, imagesDone < images else { return }
            lastShown = now
            writeLine("  epoch \(epoch)/\(totalEpochs): \(imagesDone)/\(images) images  "
                      + String(format: "loss %.4f  acc %.2f %%  %.0f img/s  ", loss, accuracy * 100, rate)
                      + EpochSummary.duration(left) + " left in epoch")
        case .epochsOnly:
            break
        }
    }

    /// Prints the epoch's line (replacing the bar).
    public func endEpoch(_ summary: EpochSummary, eta: Double?) {
        clearBar()
        writeLine(summary.line(totalEpochs: totalEpochs, eta: eta))
    }

    private func clearBar() {
        if barVisible { writeBar("\r\u{1B}[2K"); barVisible = false }
    }
}
