import Analysis
import Foundation

/// Shows the progress of the files being analysed and prints lines that stay (summaries).
///
/// On a terminal each running file has a bar line (samples, seconds of video analysed, speed, ETA),
/// redrawn in place at most 10 times a second, with finished lines printed above the bars. When the output
/// is not a terminal (piped, logged) there are no bars: a plain line at every 10 % of a file instead (every
/// minute of video when the duration is unknown).
/// Safe to use from several analysis threads.
final class ProgressBoard: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal: Bool
    private var bars: [(file: String, text: String)] = []
    private var drawnLines = 0
    private var lastDraw = 0.0
    private var reportedTenths: [String: Int] = [:]
    private let clock = ProcessInfo.processInfo

    init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    /// Adds a bar for a file about to be analysed.
    func begin(_ file: String) {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal {
            bars.append((file, Self.barText(file: file, progress: nil)))
            draw(force: true)
        } else {
            reportedTenths[file] = 0
        }
    }

    /// Updates a file's bar.
    func update(_ progress: AnalysisProgress) {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal {
            guard let index = bars.firstIndex(where: { $0.file == progress.file }) else { return }
            bars[index].text = Self.barText(file: progress.file, progress: progress)
            draw(force: false)
        } else {
            // A line at every 10 % of the video; every minute of video when its duration is unknown.
            let step = progress.fraction.map { Int($0 * 10) } ?? Int(progress.analysedSeconds / 60)
            guard step > reportedTenths[progress.file] ?? 0, progress.fraction.map({ $0 < 1 }) ?? true else { return }
            reportedTenths[progress.file] = step
            emit(Self.plainText(progress))
        }
    }

    /// Removes a file's bar (it finished or failed).
    func end(_ file: String) {
        lock.lock()
        defer { lock.unlock() }
        bars.removeAll { $0.file == file }
        reportedTenths[file] = nil
        if isTerminal { draw(force: true) }
    }

    /// Prints a line that stays, above the bars.
    func print(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        emit(line)
    }

    /// Writes `line` to standard output, keeping the bars below it (control characters and bytes of file
    /// names that are not UTF-8 escaped: `TerminalText`).
    private func emit(_ text: String) {
        let line = TerminalText.escaped(text)
        if isTerminal {
            clearBars()
            write(line + "\n")
            draw(force: true)
        } else {
            write(line + "\n")
        }
    }

    private func clearBars() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\r\u{1B}[J")
        drawnLines = 0
    }

    private func draw(force: Bool) {
        let now = clock.systemUptime
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let width = max(Self.terminalWidth() - 1, 20)
        var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)A\r" : "\r"
        for bar in bars { text += "\u{1B}[K" + String(bar.text.prefix(width)) + "\n" }
        text += "\u{1B}[J"
        drawnLines = bars.count
        write(text)
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }

    // MARK: Texts

    /// `name  [██████░░░░░░]  52%  3.3/6.4 s  14 samples  18.2× real time  ETA 0:01`
    static func barText(file: String, progress: AnalysisProgress?) -> String {
        let name = TerminalText.escaped((file as NSString).lastPathComponent)
        guard let progress else { return "\(name)  starting…" }
        let cells = 20
        let filled = Int(((progress.fraction ?? 0) * Double(cells)).rounded(.down))
        let bar = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled) + "]"
        var parts = [name, bar]
        if let fraction = progress.fraction { parts.append(String(format: "%3.0f%%", 100 * fraction)) }
        let position = AnalysisText.duration(progress.analysedSeconds)
        parts.append(progress.duration.map { "\(position)/\(AnalysisText.duration($0))" } ?? position)
        parts.append(progress.frames == 1 ? "1 sample" : "\(progress.frames) samples")
        if let speed = progress.speed { parts.append(String(format: "%.1f× real time", speed)) }
        if let remaining = progress.remaining { parts.append("ETA \(AnalysisText.clock(remaining))") }
        return parts.joined(separator: "  ")
    }

    /// `path: 50% (3.2 s of 6.4 s, 13 samples, 12.3× real time)`; without a known duration
    /// `path: 1:00 of video (240 samples, 30.1× real time)`. The path as given, like the summary line, so
    /// that interleaved lines of files with the same name (`P01/s.mp4`, `P02/s.mp4`) can be told apart.
    static func plainText(_ progress: AnalysisProgress) -> String {
        let name = progress.file
        var details = [progress.frames == 1 ? "1 sample" : "\(progress.frames) samples"]
        if let speed = progress.speed { details.append(String(format: "%.1f× real time", speed)) }
        guard let fraction = progress.fraction, let duration = progress.duration else {
            return "\(name): \(AnalysisText.duration(progress.analysedSeconds)) of video (\(details.joined(separator: ", ")))"
        }
        details.insert("\(AnalysisText.duration(progress.analysedSeconds)) of \(AnalysisText.duration(duration))", at: 0)
        return "\(name): " + String(format: "%.0f%%", 100 * fraction) + " (\(details.joined(separator: ", ")))"
    }
}
