import Analysis
import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation the running analyses poll once per frame, so
/// each marks its run `interrupted` and the command exits non-zero. A second Ctrl-C exits at once
/// (runs left `running` are never reported either).
final class StopSignals {
    let token = CancellationToken()
    private var sources: [DispatchSourceSignal] = []

    /// Takes over SIGINT and SIGTERM; `onStop` runs once, at the first of them.
    func start(onStop: @escaping @Sendable (CancellationToken.Reason) -> Void) {
        let token = self.token
        for (number, reason) in [(SIGINT, CancellationToken.Reason.interrupt), (SIGTERM, .terminate)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if token.cancel(reason) {
                    onStop(reason)
                } else if number == SIGINT {
                    FileHandle.standardError.write(Data("\ninterrupted again: exiting now\n".utf8))
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Gives both signals back to their default action.
    func stop() {
        for source in sources { source.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// The conventional exit status after a signal: 128 + its number.
    static func exitStatus(for reason: CancellationToken.Reason) -> Int32 {
        switch reason {
        case .interrupt: 128 + SIGINT
        case .terminate: 128 + SIGTERM
        }
    }
}
