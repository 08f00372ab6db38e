/// Whether sampling a video's anchor frames alone fills the same grid points as sampling all its frames.
enum AnchorCoverage {
    /// Nil when, for the sampling grid `origin + k / rate`, every grid point that `FrameSampler` fills from
    /// all frames (`times`, any order) it also fills from the frames marked in `isAnchor`, and the first
    /// frame is an anchor frame (the grid's origin is then the same); otherwise a one-line reason.
    static func problem(times: [Double], isAnchor: [Bool], origin: Double, rate: Double) -> String? {
        guard let first = times.indices.min(by: { times[$0] < times[$1] }) else { return "no frames" }
        guard isAnchor[first] else { return "the first frame is not an anchor frame" }
        let all = filledGridPoints(times.sorted(), origin: origin, rate: rate)
        let anchors = filledGridPoints(times.indices.filter { isAnchor[$0] }.map { times[$0] }.sorted(),
                                       origin: origin, rate: rate)
        guard all != anchors else { return nil }
        var i = 0
        while i < min(all.count, anchors.count) && all[i] == anchors[i] { i += 1 }
        let point = i < all.count ? all[i] : anchors[i]
        return String(format: "no anchor frame for the sample at %.3f s", origin + Double(point) / rate)
    }

    /// The grid point indices `FrameSampler` fills from frames at `sortedTimes`: for each delivered frame,
    /// the last grid point at or before it.
    private static func filledGridPoints(_ sortedTimes: [Double], origin: Double, rate: Double) -> [Int] {
        var sampler = FrameSampler(rate: rate, origin: origin)
        var filled: [Int] = []
        for t in sortedTimes where sampler.accept(t) {
            filled.append(Int(((t + FrameSampler.tolerance - origin) * rate).rounded(.down)))
        }
        return filled
    }
}
