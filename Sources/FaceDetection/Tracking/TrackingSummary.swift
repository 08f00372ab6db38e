/// What tracking found over a whole session.
///
/// Tracks are the pieces association followed; seats join the pieces that are one person in one place
/// (`SeatJoining`: never seen at the same moment, each piece starting where the seat was last seen or ending
/// where it is next seen). A seat is named by its earliest track's id. The participant is the seat with
/// the most face area: whoever sits where the participant sits, when no one else is seen there at the same
/// moment. Every other seat is a bystander, kept but flagged.
public struct TrackingSummary: Sendable, Hashable {
    /// Every track as followed, in id order.
    public let tracks: [FaceTrack]
    /// The tracks whose seat has another id: track id → seat id (the smallest track id of its seat).
    /// Tracks not listed are their own seat's id.
    public let joined: [Int: Int]
    /// The participant's seat id; nil when no face was ever seen.
    public let participantID: Int?

    public init(tracks: [FaceTrack], joined: [Int: Int], participantID: Int?) {
        self.tracks = tracks
        self.joined = joined
        self.participantID = participantID
    }

    /// The id of the seat `trackID` belongs to.
    public func seat(of trackID: Int) -> Int { joined[trackID] ?? trackID }

    /// True for every track of the participant's seat.
    public func isParticipant(_ trackID: Int) -> Bool { participantID != nil && seat(of: trackID) == participantID }

    /// The seat ids, ascending.
    public var seats: [Int] { tracks.map(\.id).filter { joined[$0] == nil } }

    /// The tracks of one seat, in id order.
    public func tracks(ofSeat seat: Int) -> [FaceTrack] { tracks.filter { self.seat(of: $0.id) == seat } }

    /// How many frames the participant's face was found in (0 without a participant).
    public var participantDetections: Int {
        guard let participantID else { return 0 }
        return tracks(ofSeat: participantID).reduce(0) { $0 + $1.detectionCount }
    }
}
