import SessionStore

/// Why a report cannot be made. Each `description` is one line.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// `--baseline` was not a positive number of seconds.
    case invalidBaseline(Double)
    /// The baseline window holds no face sample, so there is no valence to subtract.
    case noFacesInBaseline(seconds: Double)
    /// A baseline range that ends before it starts.
    case invalidBaselineRange(from: Double, to: Double)
    /// A baseline task the session does not have.
    case unknownBaselineTask(String)
    /// A baseline range or task without face samples.
    case noFacesInBaselineWindow(String)

    public var description: String {
        switch self {
        case let .invalidBaseline(seconds):
            "baseline must be a positive number of seconds, got \(seconds)"
        case let .noFacesInBaseline(seconds):
            "no face samples in the first \(Formatting.number(seconds, decimals: 3)) s: cannot compute a valence baseline"
        case let .invalidBaselineRange(from, to):
            "baseline range \(TimeValue.clock(from))–\(TimeValue.clock(to)) ends before it starts"
        case let .unknownBaselineTask(name):
            "no task '\(name)' to take the baseline from"
        case let .noFacesInBaselineWindow(window):
            "no face samples in the baseline (\(window)): cannot compute a baseline"
        }
    }
}
