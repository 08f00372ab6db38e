import Evidence
import SessionStore
import XCTest

final class AnnotationTrackTests: XCTestCase {
    private func face(_ x: Double, participant: Bool) -> DetectedFace {
        DetectedFace(trackID: participant ? 1 : 2, isParticipant: participant, box: FaceBox(x: x, y: 0, width: 10, height: 10),
                     confidence: nil, scores: nil)
    }

    func testFramesShowTheNearestSampleWithinOneInterval() {
        let records = [SampleRecord(time: 0.25, face: face(25, participant: true)),
                       SampleRecord(time: 0, face: face(0, participant: true)),
                       SampleRecord(time: 0, face: face(90, participant: false)),
                       SampleRecord.noFace(at: 0.5)]
        let track = AnnotationTrack(records: records, tasks: [TaskSegment(name: "Greet", start: 0, end: 0.3)], sampleRate: 4)
        let first = track.annotation(at: 0.1)
        XCTAssertEqual(first.sampleTime, 0)
        XCTAssertEqual(first.participant?.box.x, 0)
        XCTAssertEqual(first.others.map(\.box.x), [90])
        XCTAssertEqual(first.task, "Greet")
        XCTAssertEqual(track.annotation(at: 0.125).sampleTime, 0)           // a tie goes to the earlier sample
        XCTAssertEqual(track.annotation(at: 0.2).participant?.box.x, 25)
        let away = track.annotation(at: 0.45)
        XCTAssertEqual(away.sampleTime, 0.5)
        XCTAssertNil(away.participant)
        XCTAssertNil(away.task)
        XCTAssertNil(track.annotation(at: 0.9).sampleTime)                  // 0.4 s from the last sample
    }
}
