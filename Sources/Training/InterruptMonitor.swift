import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) into a request the training loop polls between batches, so the run can save a
/// checkpoint and exit cleanly. A second Ctrl-C ends the process at once (exit status 130) without saving.
public final class InterruptMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var source: DispatchSourceSignal?

    public init() {}

    /// Whether Ctrl-C was pressed since `start()`.
    public var isInterrupted: Bool {
        lock.lock(); defer { lock.unlock() }
        return requested
    }

    /// Takes over SIGINT; `onFirst` runs (on a background queue) at the first Ctrl-C.
    public func start(onFirst: @escaping @Sendable () -> Void = {}) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
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
        self.source = source
    }

    /// Gives SIGINT back to its default action.
    public func stop() {
        source?.cancel()
        source = nil
        signal(SIGINT, SIG_DFL)
    }
}
