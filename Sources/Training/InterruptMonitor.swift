import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) and `kill` (SIGTERM) into a request the training loop polls between batches, so
/// the run can save a checkpoint and exit cleanly. A second signal ends the process at once (exit status
/// 130) without saving.
public final class InterruptMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []
    private static let signals = [SIGINT, SIGTERM]

    public init() {}

    /// Whether a signal arrived since `start()`.
    public var isInterrupted: Bool {
        lock.lock(); defer { lock.unlock() }
        return requested
    }

    /// Takes over SIGINT and SIGTERM; `onFirst` runs (on a background queue) at the first of them.
    public func start(onFirst: @escaping @Sendable () -> Void = {}) {
        for number in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let second = self.requested
                self.requested = true
                self.lock.unlock()
                if second {
                    FileHandle.standardError.write(Data("\ninterrupted again: exiting without a checkpoint\n".utf8))
                    exit(130)
                }
                onFirst()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Gives the signals back to their default action.
    public func stop() {
        for source in sources { source.cancel() }
        sources = []
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
