import XCTest
import Training

final class ClassNameResolverTests: XCTestCase {
    func testNamesAndSynonyms() {
        let r = ClassNameResolver(classNames: ourClasses)
        let cases: [(String, Int?)] = [
            ("angry", 0), ("Anger", 0), ("DISGUST", 1), ("disgusted", 1), ("fearful", 2), ("Scared", 2),
            ("Happiness", 3), ("happy", 3), ("Neutral", 4), ("sadness", 5), ("Surprised", 6), (" surprise ", 6),
            ("contempt", nil), ("", nil), ("happy2", nil),
        ]
        for (name, index) in cases { XCTAssertEqual(r.index(of: name), index, name) }
    }
}
