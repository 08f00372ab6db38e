import Foundation
import Reports
import SessionStore
import XCTest

/// Issue 20, items 1 and 3: per-task intervals that respect neighbouring samples, and the study report
/// across participants, checked against values worked out by hand.
final class StudyReportTests: XCTestCase {
    /// Scores with only happy and neutral: valence = happy, engagement = 100 × (1 − neutral) = 100 × happy.
    static func scores(happy: Double) -> EmotionScores { EmotionScores([0, 0, 0, happy, 1 - happy, 0, 0])! }

    static func session(_ id: Int64, _ path: String) -> Session {
        Session(id: id, info: SessionInfo(filePath: path, contentHash: "hash\(id)", duration: 20), createdAt: Date(timeIntervalSince1970: 0))
    }

    static func run(_ id: Int64, model: String = "B", hash: String = "b0b0") -> Run {
        Run(id: id, sessionID: id, settings: RunSettings(modelName: model, modelHash: hash, sampleRate: 1, detector: "haar"),
            status: .complete, message: nil, participantTrack: 1, startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 60))
    }

    /// A 15-second task at 1 sample/s: happy .4 for t = 0…4, .5 for 5…9, .6 for 10…14, the face always seen.
    func testTaskIntervalIsTheTIntervalOfFiveSecondBlockMeans() throws {
        let timeline = (0..<15).map { t in TimelineSample(time: Double(t), scores: Self.scores(happy: [0.4, 0.5, 0.6][t / 5])) }
        let report = try SessionReport(session: Self.session(1, "/s/P01.mp4"), run: Self.run(1), timeline: timeline,
                                       tasks: [TaskSegment(name: "Search", start: 0, end: 15)])
        let row = report.rows[0]
        // Engagement: block means 40, 50, 60 → mean 50, SD 10; t(0.975, 2) = 4.303; 4.303 × 10 / √3 = 24.8434.
        XCTAssertEqual(row.engagement!, 50, accuracy: 1e-9)
        XCTAssertEqual(row.engagementInterval!.lowerBound, 50 - 24.8434, accuracy: 1e-3)
        XCTAssertEqual(row.engagementInterval!.upperBound, 50 + 24.8434, accuracy: 1e-3)
        // Valence: block means .4, .5, .6 → ± 4.303 × .1 / √3 = .248434; satisfaction 75 ± 12.4217.
        XCTAssertEqual(row.valenceInterval!.lowerBound, 0.5 - 0.248434, accuracy: 1e-5)
        XCTAssertEqual(row.satisfactionInterval!.lowerBound, 75 - 12.4217, accuracy: 1e-3)
        XCTAssertEqual(row.satisfactionInterval!.upperBound, 75 + 12.4217, accuracy: 1e-3)
        // Presence: 1 in every block, SD 0.
        XCTAssertEqual(row.presenceInterval, 1...1)
        // Treating the 15 samples as independent would give ± 2.145 × SD(15 values) / √15 = ± 3.7 for
        // engagement; the block interval is wider, as correlated samples demand.
    }

    /// Three participants doing "Checkout" (2 s, so no per-participant interval) with happy .4, .5, .9.
    private func threeParticipants(thirdModelHash: String = "b0b0", thirdBaseline: String = "none") throws -> [StudyParticipant] {
        try [("P01", 0.4), ("P02", 0.5), ("P03", 0.9)].enumerated().map { index, entry in
            let id = Int64(index + 1)
            let timeline = [0.0, 1.0].map { TimelineSample(time: $0, scores: Self.scores(happy: entry.1)) }
            let report = try SessionReport(session: Self.session(id, "/s/\(entry.0)/session.mp4"),
                                           run: Self.run(id, hash: index == 2 ? thirdModelHash : "b0b0"), timeline: timeline,
                                           tasks: [TaskSegment(name: "Checkout", start: 0, end: 2)],
                                           sessionName: "\(entry.0)/session.mp4")
            return StudyParticipant(label: entry.0, report: report, baseline: index == 2 ? thirdBaseline : "none")
        }
    }

    func testSummaryAcrossThreeParticipants() throws {
        let study = try StudyReport(participants: try threeParticipants())
        XCTAssertEqual(study.tasks, ["Checkout", ReportRow.wholeSessionName])
        let checkout = study.summaries[0]
        // Engagement 40, 50, 90: mean 60; SD √((400 + 100 + 900) / 2) = √700 = 26.4575;
        // 95 %: 60 ± 4.303 × 26.4575 / √3 = 60 ± 65.7294 = −5.7294 … 125.7294, clipped to the 0…100 a score can take.
        let engagement = try XCTUnwrap(checkout.engagement)
        XCTAssertEqual(engagement.n, 3)
        XCTAssertEqual(engagement.mean, 60, accuracy: 1e-9)
        XCTAssertEqual(engagement.sd!, 26.4575, accuracy: 1e-4)
        XCTAssertEqual(engagement.low, 0)
        XCTAssertEqual(engagement.high, 100)
        // Satisfaction 70, 75, 95: mean 80; SD √((100 + 25 + 225) / 2) = √175 = 13.2288; ± 32.8647.
        let satisfaction = try XCTUnwrap(checkout.satisfaction)
        XCTAssertEqual(satisfaction.mean, 80, accuracy: 1e-9)
        XCTAssertEqual(satisfaction.sd!, 13.2288, accuracy: 1e-4)
        XCTAssertEqual(satisfaction.low!, 80 - 32.8647, accuracy: 1e-3)
        XCTAssertEqual(checkout.presence?.mean, 1)
        XCTAssertEqual(checkout.presence?.sd, 0)

        let summary = StudyCSV.summary(study).components(separatedBy: "\r\n")
        XCTAssertEqual(summary[0], "task," + ["engagement", "satisfaction", "valence", "face_presence", "others_in_view"]
            .flatMap { f in ["n", "mean", "sd", "low", "high"].map { "\(f)_\($0)" } }.joined(separator: ","))
        // Valence .4, .5, .9: mean .6, SD √.07 = .2646, ± .6573 → −0.0573 … 1 (clipped); satisfaction
        // 80 ± 32.8647 → 47.14 … 100 (clipped).
        XCTAssertEqual(summary[1], "Checkout,3,60.00,26.46,0.00,100.00,3,80.00,13.23,47.14,100.00,3,0.6000,0.2646,-0.0573,1.0000,"
                       + "3,1.0000,0.0000,1.0000,1.0000,3,0.0000,0.0000,0.0000,0.0000")   // nobody else in view

        let rows = StudyCSV.rows(study).components(separatedBy: "\r\n")
        XCTAssertEqual(rows[0], StudyCSV.rowColumns.joined(separator: ","))
        XCTAssertEqual(rows[1], "P01,P01/session.mp4,B (b0b0),1,none,Checkout,0.000,2.000,2.000,2,2,1.0000,,,40.00,,,70.00,,,0.4000,,,neutral,0,0.0000")
        XCTAssertEqual(rows.count, 1 + 3 * 2 + 1, "three participants × (Checkout + whole session), and the final line end")
    }

    func testMixedModelsAndBaselinesAreRefusedUnlessAsked() throws {
        XCTAssertThrowsError(try StudyReport(participants: try threeParticipants(thirdModelHash: "c0c0"))) { error in
            XCTAssertEqual("\(error)", "sessions were scored by different models (B (b0b0): P01, P02; B (c0c0): P03): re-analyse "
                           + "them with one --model, choose runs with the same model, or pass --mix to compare them anyway")
        }
        XCTAssertThrowsError(try StudyReport(participants: try threeParticipants(thirdBaseline: "first 30 s"))) { error in
            XCTAssertEqual("\(error)", "sessions have different baselines (first 30 s: P03; none: P01, P02): pass --mix to compare them anyway")
        }
        XCTAssertEqual(try StudyReport(participants: try threeParticipants(thirdModelHash: "c0c0"), allowMixed: true).participants.count, 3)
    }

    /// The study page: one strip per task and figure with a dot per participant, the heat map, the links,
    /// and the definitions beside the figures.
    func testStudyPageShowsEveryParticipantAndLinksTheirPages() throws {
        let study = try StudyReport(participants: try threeParticipants())
        let page = StudyHTML.page(study, pages: ["P01": "study-P01.html"])
        XCTAssertTrue(page.contains("<a href=\"study-P01.html\">P01</a>"))
        XCTAssertEqual(page.components(separatedBy: "<circle class=\"dot\"").count - 1, 3 * 2 * 4,
                       "3 participants × (Checkout + whole session) × 4 figures (engagement, satisfaction, presence, others in view)")
        XCTAssertTrue(page.contains("<b>Engagement:</b> how expressive the face was while it was seen"))
        XCTAssertTrue(StudyHTML.isStudyPage(Data(page.utf8)))
        XCTAssertNoThrow(try XHTMLDocument(page), "the page is well-formed XHTML")
    }
}
