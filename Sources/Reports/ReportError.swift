/// Why a report cannot be made. Each `description` is one line.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// `--baseline` was not a positive number of seconds.
    case invalidBaseline(Double)
    /// The baseline window holds no face sample, so there is no valence to subtract.
    case noFacesInBaseline(seconds: Double)

    public var description: String {
        switch self {
        case let .invalidBaseline(seconds):
            "baseline must be a positive number of seconds, got \(seconds)"
        case let .noFacesInBaseline(seconds):
            "no face samples in the first \(Formatting.number(seconds, decimals: 3)) s: cannot compute a valence baseline"
        }
    }
}
