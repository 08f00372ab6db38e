/// Settings of `FaceTracker`.
public struct FaceTrackerConfiguration: Sendable, Hashable {
    /// A detection continues a track when its IoU with the track's predicted box is at least this.
    public var minimumIoU: Double
    /// A track not seen for longer than this many seconds is no longer followed by its motion: a face
    /// found later resumes it only when it comes back at about the same place (`reentryIoU`), else it
    /// starts a new track.
    public var maximumGap: Double
    /// A face that matches no followed track resumes the closed track whose last box overlaps it by at
    /// least this IoU (the participant who left the desk and sat down again keeps their id).
    public var reentryIoU: Double
    /// Motion is extrapolated over at most this many seconds when predicting a box.
    public var predictionHorizon: Double
    /// Weight of the previous velocity when blending in a new measurement (0 ... 1).
    public var velocitySmoothing: Double
    /// Seats (`TrackingSummary`): a track never seen at the same moment as a seat joins it when it starts
    /// where the seat was last seen, or ends where it is next seen: box centres at most this many times the
    /// larger box side apart …
    public var seatRadius: Double
    /// … and box sides at most this many times one another.
    public var seatSizeRatio: Double

    public init(minimumIoU: Double = 0.3, maximumGap: Double = 2.0, reentryIoU: Double = 0.3,
                predictionHorizon: Double = 0.5, velocitySmoothing: Double = 0.5, seatRadius: Double = 1.0,
                seatSizeRatio: Double = 2.0) {
        self.minimumIoU = minimumIoU
        self.maximumGap = maximumGap
        self.reentryIoU = reentryIoU
        self.predictionHorizon = predictionHorizon
        self.velocitySmoothing = velocitySmoothing
        self.seatRadius = seatRadius
        self.seatSizeRatio = seatSizeRatio
    }
}

/// A detection with the id of the track it belongs to.
public struct TrackedFace: Sendable, Hashable {
    public let trackID: Int
    public let face: DetectedFace

    public init(trackID: Int, face: DetectedFace) {
        self.trackID = trackID
        self.face = face
    }
}

/// Associates per-frame face detections into tracks with stable ids, for a streaming pipeline: feed
/// each sampled frame's detections with `update(timestamp:faces:)` and use the returned ids at once;
/// call `finish()` at the end to learn which tracks are one seat and which seat is the participant.
///
/// Association is greedy on IoU between each detection and each open track's predicted box (latest box
/// moved by its smoothed velocity), best pairs first, so faces that pass each other keep their ids.
/// A track stays open through gaps up to `maximumGap` seconds; after a longer absence a face that comes
/// back where the track was last seen (IoU ≥ `reentryIoU`, best overlaps first) resumes it, so a
/// participant who looks away or leaves for a while is still one track. Pieces that association could not
/// join (the box jumped at a cut or a lighting change, the face came back elsewhere) are joined into seats
/// at `finish()` (`TrackingSummary`). One tracker follows one stream; it is not meant to be shared between
/// threads.
public final class FaceTracker {
    public let configuration: FaceTrackerConfiguration
    private var tracks: [FaceTrack] = []
    /// Every detection of each track (same order as `tracks`), for joining seats at the end.
    private var sightings: [[TrackSighting]] = []
    private var latestTimestamp = -Double.infinity

    public init(configuration: FaceTrackerConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Tracks still open at `timestamp` (seen within `maximumGap` seconds before it).
    public func openTracks(at timestamp: Double) -> [FaceTrack] {
        tracks.filter { timestamp - $0.lastSeen <= configuration.maximumGap }
    }

    /// Tracks whose latest detection is from the latest frame given to `update`.
    public var currentTracks: [FaceTrack] { tracks.filter { $0.lastSeen == latestTimestamp } }

    /// The track that leads on total face area so far (before joining seats).
    public var leadingTrackID: Int? { Self.participant(of: tracks) }

    /// Associates the detections of the frame at `timestamp` (seconds; frames in time order — an earlier
    /// or non-finite timestamp is treated as simultaneous with the latest one). Returns one entry per
    /// detection, in order.
    @discardableResult
    public func update(timestamp: Double, faces: [DetectedFace]) -> [TrackedFace] {
        let time = timestamp.isFinite ? max(timestamp, latestTimestamp) : (latestTimestamp.isFinite ? latestTimestamp : 0)
        latestTimestamp = time
        let open = tracks.indices.filter { time - tracks[$0].lastSeen <= configuration.maximumGap }
        let predicted = open.map { tracks[$0].predictedBox(at: time, horizon: configuration.predictionHorizon) }

        var pairs: [(score: Double, face: Int, track: Int)] = []
        for (f, face) in faces.enumerated() {
            for (k, box) in predicted.enumerated() {
                let score = face.box.intersectionOverUnion(box)
                if score >= configuration.minimumIoU { pairs.append((score, f, open[k])) }
            }
        }
        // Best pairs first; ties keep the earlier face, then the older track.
        pairs.sort { ($0.score, -$0.face, -$0.track) > ($1.score, -$1.face, -$1.track) }
        var trackOfFace = [Int?](repeating: nil, count: faces.count)
        var taken = Set<Int>()
        for pair in pairs where trackOfFace[pair.face] == nil && !taken.contains(pair.track) {
            trackOfFace[pair.face] = pair.track
            taken.insert(pair.track)
        }

        // Faces left over may be closed tracks coming back to where they were last seen.
        var reentries: [(score: Double, face: Int, track: Int)] = []
        for (f, face) in faces.enumerated() where trackOfFace[f] == nil {
            for index in tracks.indices where time - tracks[index].lastSeen > configuration.maximumGap {
                let score = face.box.intersectionOverUnion(tracks[index].lastBox)
                if score >= configuration.reentryIoU { reentries.append((score, f, index)) }
            }
        }
        reentries.sort { ($0.score, -$0.face, -$0.track) > ($1.score, -$1.face, -$1.track) }
        var resumed = Set<Int>()
        for pair in reentries where trackOfFace[pair.face] == nil && !taken.contains(pair.track) {
            trackOfFace[pair.face] = pair.track
            taken.insert(pair.track)
            resumed.insert(pair.track)
        }

        return faces.enumerated().map { f, face in
            if let index = trackOfFace[f] {
                if resumed.contains(index) {
                    tracks[index].resume(face.box, at: time)
                } else {
                    tracks[index].observe(face.box, at: time, smoothing: configuration.velocitySmoothing)
                }
                sightings[index].append(TrackSighting(time: time, box: face.box))
                return TrackedFace(trackID: tracks[index].id, face: face)
            }
            let track = FaceTrack(id: tracks.count + 1, timestamp: time, box: face.box)
            tracks.append(track)
            sightings.append([TrackSighting(time: time, box: face.box)])
            return TrackedFace(trackID: track.id, face: face)
        }
    }

    /// Ends the session: all tracks, their seats and the participant's seat (the seat with the most face
    /// area; ties go to the seat of the earlier track).
    public func finish() -> TrackingSummary {
        let seats = SeatJoining.seats(of: tracks, sightings: sightings, configuration: configuration)
        var joined: [Int: Int] = [:]
        var participant: (id: Int, area: Double)?
        for seat in seats {
            let id = tracks[seat[0]].id
            for member in seat.dropFirst() { joined[tracks[member].id] = id }
            let area = seat.reduce(0) { $0 + tracks[$1].totalArea }
            if participant.map({ area > $0.area || (area == $0.area && id < $0.id) }) ?? true {
                participant = (id, area)
            }
        }
        return TrackingSummary(tracks: tracks, joined: joined, participantID: participant?.id)
    }

    private static func participant(of tracks: [FaceTrack]) -> Int? {
        var best: FaceTrack?
        for track in tracks where track.totalArea > (best?.totalArea ?? -1) { best = track }
        return best?.id
    }
}
