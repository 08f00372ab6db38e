import Foundation

/// A thread-safe stop request shared by the caller (e.g. a signal handler) and running analyses, which
/// poll it once per frame.
public final class CancellationToken: @unchecked Sendable {
    /// Why an analysis was asked to stop.
    public enum Reason: Sendable, Equatable {
        /// Ctrl-C (SIGINT).
        case interrupt
        /// A termination request (SIGTERM).
        case terminate

        /// How the stop is described in run messages and on the terminal.
        public var description: String {
            switch self {
            case .interrupt: "interrupted (Ctrl-C)"
            case .terminate: "terminated (SIGTERM)"
            }
        }
    }

    private let lock = NSLock()
    private var requested: Reason?

    public init() {}

    /// The first stop request, or nil while none was made.
    public var reason: Reason? {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Whether a stop was requested.
    public var isCancelled: Bool { reason != nil }

    /// Requests a stop; the first reason given is kept. Returns false when a stop was already requested.
    @discardableResult
    public func cancel(_ reason: Reason) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard requested == nil else { return false }
        requested = reason
        return true
    }
}
