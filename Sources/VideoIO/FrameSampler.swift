/// Chooses which frames to deliver when reading at a fixed rate, by timestamp (never by frame index).
///
/// The rule: the grid is `t0 + k / rate` for k = 0, 1, 2, …, where `t0` is the timestamp of the first decoded
/// frame. For each grid point the first frame (in decode output order) whose timestamp is at or after the
/// point is delivered. A frame is delivered at most once: when one frame is the first at or after several
/// grid points (a gap in a variable-frame-rate file longer than `1 / rate`), it is delivered once and the
/// grid continues at the first point after it. Timestamps within `tolerance` (1 µs) before a grid point
/// count as on it, so float rounding of exact multiples never moves a choice to the next frame.
///
/// Only delivering a frame advances the state, so dropping any frame that would not be delivered leaves the
/// choice of every other frame unchanged; `VideoReader` relies on this to skip non-reference frames safely.
struct FrameSampler {
    static let tolerance = 1e-6

    let rate: Double
    /// Timestamp of the first frame, the grid's origin; nil before any frame was seen.
    private(set) var origin: Double?
    /// The grid point the next delivered frame must reach; nil before any frame was seen.
    private(set) var nextTarget: Double?

    init(rate: Double) { self.rate = rate }

    /// A sampler whose grid starts at `origin` (the first frame's time, known in advance).
    init(rate: Double, origin: Double) {
        self.rate = rate
        self.origin = origin
        nextTarget = origin
    }

    /// A sampler in the state the rule has reached after a frame at `previous` (with the grid starting at
    /// `origin`), whatever was delivered before it: the next target is the first grid point after
    /// `previous`. (Every frame between the last delivered one and the target lies before the target, so
    /// the first grid point after any of them is the target itself.) Lets a reader start mid-video.
    init(rate: Double, origin: Double, resumingAfter previous: Double) {
        self.rate = rate
        self.origin = origin
        nextTarget = Self.gridPoint(after: previous, origin: origin, rate: rate)
    }

    /// Whether a frame at time `t` is delivered; updates the state when it is.
    mutating func accept(_ t: Double) -> Bool {
        guard let origin, let nextTarget else {
            origin = t
            nextTarget = Self.gridPoint(after: t, origin: t, rate: rate)
            return true
        }
        guard t >= nextTarget - Self.tolerance else { return false }
        self.nextTarget = Self.gridPoint(after: t, origin: origin, rate: rate)
        return true
    }

    /// Whether a frame at time `t` would certainly not be delivered, whatever frames come before it:
    /// true when `t` is before the current target, because the target never moves backwards.
    func certainlyRejects(_ t: Double) -> Bool {
        guard let nextTarget else { return false }
        return t < nextTarget - Self.tolerance
    }

    /// The first grid point later than `t` (by more than the tolerance).
    private static func gridPoint(after t: Double, origin: Double, rate: Double) -> Double {
        let k = ((t + Self.tolerance - origin) * rate).rounded(.down) + 1
        return origin + max(k, 1) / rate
    }
}
