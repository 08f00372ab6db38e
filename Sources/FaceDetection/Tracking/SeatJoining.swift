/// One detection of a track: when and where.
struct TrackSighting: Sendable, Hashable {
    let time: Double
    let box: FaceBox
}

/// Joins the tracks of one seat at the end of a session.
///
/// A track breaks when a face's box jumps (a cut between takes, a lighting change that shifts or resizes
/// the detected box, an absence after which the face comes back somewhat elsewhere). The pieces are one
/// seat when they are never seen at the same moment and each piece starts where the seat was last seen,
/// or ends where it is next seen (`FaceTrackerConfiguration.seatRadius`, `seatSizeRatio`). Faces seen at
/// the same moment are never one seat: a person leaning in beside the participant stays someone else.
///
/// Seats are built greedily, the track with the most face area first: it takes every track that fits,
/// the largest first (after each join the seat is looked at again, since it may now reach further), so
/// of two pieces seen at the same moment at one seat the larger joins. The next unjoined track then
/// starts the next seat.
enum SeatJoining {
    /// The seats, as lists of track indices in ascending order; every track is in exactly one seat.
    static func seats(of tracks: [FaceTrack], sightings: [[TrackSighting]],
                      configuration: FaceTrackerConfiguration) -> [[Int]] {
        let order = tracks.indices.sorted { (tracks[$0].totalArea, -$0) > (tracks[$1].totalArea, -$1) }
        var joined = [Bool](repeating: false, count: tracks.count)
        var seats: [[Int]] = []
        for anchor in order where !joined[anchor] {
            joined[anchor] = true
            var members = [anchor]
            var seen = sightings[anchor]
            search: while true {
                for candidate in order where !joined[candidate] {
                    let pieces = sightings[candidate]
                    guard sits(pieces, at: seen, configuration), !sharesAMoment(pieces, with: seen) else { continue }
                    joined[candidate] = true
                    members.append(candidate)
                    seen = merge(seen, pieces)
                    continue search
                }
                break
            }
            seats.append(members.sorted())
        }
        return seats
    }

    /// Whether `piece` starts near where `seat` was last seen before it or ends near where `seat` is next
    /// seen after it.
    static func sits(_ piece: [TrackSighting], at seat: [TrackSighting], _ configuration: FaceTrackerConfiguration) -> Bool {
        guard let first = piece.first, let last = piece.last, !seat.isEmpty else { return false }
        let before = index(in: seat, firstAfter: first.time, orAt: true) - 1
        if before >= 0, near(first.box, seat[before].box, configuration) { return true }
        let after = index(in: seat, firstAfter: last.time, orAt: false)
        if after < seat.count, near(last.box, seat[after].box, configuration) { return true }
        return false
    }

    /// Whether two boxes are one seat: centres at most `seatRadius` times the larger box side apart, and
    /// sides at most `seatSizeRatio` times one another.
    static func near(_ a: FaceBox, _ b: FaceBox, _ configuration: FaceTrackerConfiguration) -> Bool {
        let sideA = Double(max(a.width, a.height, 1)), sideB = Double(max(b.width, b.height, 1))
        let larger = max(sideA, sideB), smaller = min(sideA, sideB)
        let dx = a.centerX - b.centerX, dy = a.centerY - b.centerY
        return (dx * dx + dy * dy).squareRoot() <= configuration.seatRadius * larger
            && larger <= configuration.seatSizeRatio * smaller
    }

    /// Whether the two time-ordered lists have a moment in common.
    static func sharesAMoment(_ piece: [TrackSighting], with seat: [TrackSighting]) -> Bool {
        piece.contains { sighting in
            let at = index(in: seat, firstAfter: sighting.time, orAt: true)
            return at < seat.count && seat[at].time == sighting.time
        }
    }

    /// The first index of time-ordered `list` whose time is after `time` (or equal to it, with `orAt`).
    private static func index(in list: [TrackSighting], firstAfter time: Double, orAt: Bool) -> Int {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].time < time || (!orAt && list[mid].time == time) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Two time-ordered lists as one.
    private static func merge(_ a: [TrackSighting], _ b: [TrackSighting]) -> [TrackSighting] {
        var merged: [TrackSighting] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].time <= b[j].time) {
                merged.append(a[i]); i += 1
            } else {
                merged.append(b[j]); j += 1
            }
        }
        return merged
    }
}
