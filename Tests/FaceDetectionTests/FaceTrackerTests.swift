import XCTest
import FaceDetection

/// Association, ids, gaps and the participant, driven by OpenCV's per-frame boxes on the bundled videos
/// (`tracks.json`) and by hand-made sequences.
final class FaceTrackerTests: XCTestCase {
    private func face(_ x: Int, _ y: Int, _ side: Int) -> DetectedFace {
        DetectedFace(box: FaceBox(x: x, y: y, width: side, height: side), neighbors: 10)
    }

    /// face_noface.mov: a face in every frame until 2.37 s (one track, one id), none from 2.40 s on.
    func testFaceNoFaceVideo() throws {
        let video = try XCTUnwrap(try FaceFixtures.tracks().videos["face_noface.mov"])
        XCTAssertEqual(video.frames.count, 169)
        let tracker = FaceTracker()
        var ids = Set<Int>()
        for frame in video.frames {
            let tracked = tracker.update(timestamp: frame.t, faces: frame.faces)
            if frame.t < 2.37 {
                XCTAssertEqual(tracked.count, 1, "t = \(frame.t)")
            } else if frame.t >= 2.40 {
                XCTAssertEqual(tracked, [], "t = \(frame.t)")
            }
            ids.formUnion(tracked.map(\.trackID))
        }
        XCTAssertEqual(ids, [1])
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.count, 1)
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertEqual(summary.tracks[0].firstSeen, 0)
        XCTAssertEqual(summary.tracks[0].lastSeen, 2.366667, accuracy: 1e-6)
        XCTAssertEqual(summary.tracks[0].detectionCount, 72)
    }

    /// single_face.mp4: one track whose id is the same in all 72 frames.
    func testSingleFaceVideoKeepsOneId() throws {
        let video = try XCTUnwrap(try FaceFixtures.tracks().videos["single_face.mp4"])
        let tracker = FaceTracker()
        let ids = video.frames.flatMap { tracker.update(timestamp: $0.t, faces: $0.faces).map(\.trackID) }
        XCTAssertEqual(ids, [Int](repeating: 1, count: 72))
        XCTAssertEqual(tracker.finish().tracks.map(\.detectionCount), [72])
    }

    /// Two faces walk past each other (boxes overlapping at the crossing, one hidden for a frame) and keep
    /// their ids: association uses each track's motion, not just the last position.
    func testTwoFacesSwappingSidesKeepTheirIds() {
        let tracker = FaceTracker()
        for k in 0..<12 {
            let a = face(50 + 40 * k, 100, 100), b = face(490 - 40 * k, 100, 100)
            // Frame 5: B is hidden behind A. Detection order alternates.
            let faces = k == 5 ? [a] : (k % 2 == 0 ? [a, b] : [b, a])
            let tracked = tracker.update(timestamp: Double(k) * 0.1, faces: faces)
            for t in tracked {
                XCTAssertEqual(t.trackID, t.face == a ? 1 : 2, "frame \(k)")
            }
        }
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.map(\.detectionCount), [12, 11])
        XCTAssertEqual(summary.tracks[0].lastBox.x, 490)
        XCTAssertEqual(summary.tracks[1].lastBox.x, 50)
    }

    /// A face missing for less than the gap tolerance (2 s) keeps its id; after a longer gap only a face
    /// back at about the same place does (re-entry), a face elsewhere is a new track.
    func testGapTolerance() {
        let tracker = FaceTracker()
        for k in 0...10 { tracker.update(timestamp: Double(k) * 0.1, faces: [face(200, 100, 120)]) }
        XCTAssertEqual(tracker.update(timestamp: 2.9, faces: [face(205, 102, 118)]).map(\.trackID), [1])
        XCTAssertEqual(tracker.update(timestamp: 3.0, faces: []), [])
        XCTAssertEqual(tracker.openTracks(at: 4.8).map(\.id), [1])
        XCTAssertEqual(tracker.openTracks(at: 5.0).map(\.id), [])
        // 200 px away: no overlap with where track 1 was last seen, and not its seat either.
        XCTAssertEqual(tracker.update(timestamp: 5.0, faces: [face(405, 102, 118)]).map(\.trackID), [2])
        XCTAssertEqual(tracker.finish().seats, [1, 2])
    }

    /// The participant leaves for a minute and sits down again a little lower and closer: the same track
    /// (IoU of the boxes 100x100 at (200, 100) and 110x110 at (210, 115): 7,600 / 14,500 = 0.52 ≥ 0.3),
    /// with its face area added up, so it stays the participant over a visitor seen in between.
    func testParticipantComingBackResumesTheirTrack() {
        let tracker = FaceTracker()
        for k in 0..<40 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(200, 100, 100)]) }
        for k in 0..<50 { tracker.update(timestamp: 20 + Double(k) * 0.25, faces: [face(500, 50, 80)]) }
        let back = (0..<40).map { k in
            tracker.update(timestamp: 70 + Double(k) * 0.25, faces: [face(210, 115, 110)]).map(\.trackID)
        }
        XCTAssertEqual(Set(back.joined()), [1])
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.map(\.id), [1, 2])
        XCTAssertEqual(summary.tracks[0].detectionCount, 80)
        XCTAssertEqual(summary.tracks[0].totalArea, 40 * 10_000 + 40 * 12_100)
        XCTAssertEqual(summary.participantID, 1)
        // Resumed without the old motion: the box is predicted where it was seen.
        XCTAssertEqual(summary.tracks[0].velocityX, 0)
        XCTAssertEqual(summary.tracks[0].velocityY, 0)
    }

    /// Two faces coming back near one closed track: the better overlap resumes it, the other is new.
    func testOnlyOneFaceResumesAClosedTrack() {
        let tracker = FaceTracker()
        tracker.update(timestamp: 0, faces: [face(200, 100, 100)])
        let ids = tracker.update(timestamp: 10, faces: [face(240, 100, 100), face(210, 100, 100)]).map(\.trackID)
        XCTAssertEqual(ids, [2, 1])
    }

    /// The participant is the track with the most total face area, even if another was seen longer;
    /// the other track is kept and flagged.
    func testParticipantHasTheMostFaceArea() {
        let tracker = FaceTracker()
        for k in 0..<30 {
            var faces = [face(500, 50, 50)]                       // bystander: 30 x 2,500 = 75,000 px²
            if k < 3 { faces.append(face(100, 100, 200)) }         // participant: 3 x 40,000 = 120,000 px²
            tracker.update(timestamp: Double(k) * 0.2, faces: faces)
            if k == 1 { XCTAssertEqual(tracker.leadingTrackID, 2) }
        }
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.map(\.totalArea), [75_000, 120_000])
        XCTAssertEqual(summary.participantID, 2)
        XCTAssertTrue(summary.isParticipant(2))
        XCTAssertFalse(summary.isParticipant(1))
        XCTAssertNil(FaceTracker().finish().participantID)
    }

    /// Out-of-order or NaN timestamps are treated as simultaneous with the latest frame, and frames a
    /// hair apart do not make absurd velocities: never a crash.
    func testTimestampsGoingBackwards() {
        let tracker = FaceTracker()
        tracker.update(timestamp: 5, faces: [face(10, 10, 40)])
        XCTAssertEqual(tracker.update(timestamp: 1, faces: [face(12, 10, 40)]).map(\.trackID), [1])
        XCTAssertEqual(tracker.update(timestamp: .nan, faces: [face(14, 10, 40)]).map(\.trackID), [1])
        XCTAssertEqual(tracker.finish().tracks[0].lastSeen, 5)
        XCTAssertEqual(tracker.update(timestamp: 5 + 1e-12, faces: [face(16, 10, 40)]).map(\.trackID), [1])
        XCTAssertEqual(tracker.update(timestamp: 6, faces: [face(16, 10, 40)]).count, 1)
    }

    // MARK: - Seats

    /// A cut between takes: the box jumps 60 px to the side and shrinks to 80 px (IoU with the last box
    /// 0.17 < 0.3, so association starts track 2), with no one else in view. Centres 60 px apart ≤ 1 × 100
    /// (the larger side), sides 100 / 80 ≤ 2: one seat, named 1, the participant; the first piece counts.
    func testPiecesOfOneSeatAreJoined() {
        let tracker = FaceTracker()
        for k in 0..<16 { XCTAssertEqual(tracker.update(timestamp: Double(k) * 0.25, faces: [face(200, 100, 100)]).map(\.trackID), [1]) }
        for k in 16..<40 { XCTAssertEqual(tracker.update(timestamp: Double(k) * 0.25, faces: [face(270, 110, 80)]).map(\.trackID), [2]) }
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.map(\.id), [1, 2])
        XCTAssertEqual(summary.joined, [2: 1])
        XCTAssertEqual(summary.seats, [1])
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertTrue(summary.isParticipant(1))
        XCTAssertTrue(summary.isParticipant(2))
        XCTAssertEqual(summary.participantDetections, 40)
        XCTAssertEqual(summary.tracks(ofSeat: 1).map(\.id), [1, 2])
    }

    /// Pieces chain: a middle piece joins first, then the piece that only touches the seat through it.
    /// A piece that starts far from where the seat was last seen (150 px > 100) stays its own seat.
    func testSeatsChainAndStopAtTheirPlace() {
        let tracker = FaceTracker()
        for k in 0..<8 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(100, 100, 100)]) }      // 1
        for k in 8..<16 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(170, 100, 100)]) }     // 2: 70 px on
        for k in 16..<40 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(240, 100, 100)]) }    // 3: 70 px on
        for k in 40..<44 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(390, 100, 100)]) }    // 4: 150 px on
        let summary = tracker.finish()
        XCTAssertEqual(summary.joined, [2: 1, 3: 1])
        XCTAssertEqual(summary.seats, [1, 4])
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertFalse(summary.isParticipant(4))
    }

    /// A second person leaning in right beside the participant (centres 85 px apart, within the seat
    /// radius) is seen at the same moments as the participant: never the same seat.
    func testFaceBesideTheParticipantIsNotJoined() {
        let tracker = FaceTracker()
        for k in 0..<40 {
            var faces = [face(200, 100, 100)]
            if (10..<20).contains(k) { faces.append(face(270, 160, 90)) }
            tracker.update(timestamp: Double(k) * 0.25, faces: faces)
        }
        let summary = tracker.finish()
        XCTAssertEqual(summary.joined, [:])
        XCTAssertEqual(summary.seats, [1, 2])
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertFalse(summary.isParticipant(2))
    }

    /// Two people come into the participant's seat after they left, at the same moments: only one of them
    /// can be the participant at a time, the one with more face area; the other stays its own seat.
    func testOfTwoPiecesAtOneMomentTheLargerJoins() {
        let tracker = FaceTracker()
        for k in 0..<20 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(200, 100, 100)]) }
        for k in 32..<40 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(290, 100, 100), face(120, 100, 70)]) }
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.map(\.totalArea), [200_000, 80_000, 39_200])
        XCTAssertEqual(summary.joined, [2: 1])
        XCTAssertEqual(summary.seats, [1, 3])
    }

    /// The seat is the participant: two people swap seats (gone for 3 s in between, so association starts
    /// new tracks 3 and 4 when they sit down). Each new piece joins the seat it sits in, not the person;
    /// the left seat holds more face over the session (40 × 10,000 + 20 × 6,400 against 40 × 6,400 +
    /// 20 × 10,000 px²), so whoever sits there is the participant.
    func testSwappedSeatsFollowThePlaceNotThePerson() {
        let tracker = FaceTracker()
        for k in 0..<40 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(40, 100, 100), face(400, 110, 80)]) }
        // Back after 3 s, each a little off where the other sat (IoU 0.21 and 0.17 with the old boxes).
        for k in 52..<72 { tracker.update(timestamp: Double(k) * 0.25, faces: [face(100, 130, 80), face(330, 100, 100)]) }
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.count, 4)
        XCTAssertEqual(summary.joined, [3: 1, 4: 2])
        XCTAssertEqual(summary.participantID, 1)
        XCTAssertTrue(summary.isParticipant(3))
        XCTAssertFalse(summary.isParticipant(4))
    }

    /// The participant is the seat with the most face area, counted over all its pieces: a participant
    /// split into three pieces outweighs a bystander seen longer than any one piece.
    func testParticipantIsTheSeatWithTheMostArea() {
        let tracker = FaceTracker()
        for k in 0..<60 {
            let t = Double(k) * 0.25
            var faces = [face(500, 50, 60)]                                          // bystander, 60 × 3,600
            let x = k < 20 ? 100 : (k < 40 ? 170 : 240)                             // jumps 70 px at 5 s and 10 s
            faces.append(face(x, 100, 80))                                           // 60 × 6,400 in three pieces
            tracker.update(timestamp: t, faces: faces)
        }
        let summary = tracker.finish()
        XCTAssertEqual(summary.tracks.count, 4)
        XCTAssertEqual(summary.joined, [3: 2, 4: 2])
        XCTAssertEqual(summary.participantID, 2)
        XCTAssertEqual(summary.participantDetections, 60)
    }
}
