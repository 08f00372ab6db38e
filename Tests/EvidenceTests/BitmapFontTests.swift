import Evidence
import XCTest

final class BitmapFontTests: XCTestCase {
    func testGlyphOfAIsItsPicture() {
        // .###. / #...# / #...# / ##### / #...# / #...# / #...#
        XCTAssertEqual(BitmapFont.rows("A"), [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001])
        XCTAssertEqual(BitmapFont.rows(" "), [0, 0, 0, 0, 0, 0, 0])
    }

    func testEveryPrintableASCIICharacterIsDrawable() {
        for value in 0x20...0x7E {
            let character = Character(UnicodeScalar(UInt8(value)))
            let shown = BitmapFont.drawable(String(character))
            XCTAssertEqual(shown.count, 1)
            XCTAssertNotNil(BitmapFont.rows(shown.first!), "no glyph for \(character)")
            if !character.isLowercase { XCTAssertEqual(shown, String(character), "\(character) drawn as \(shown)") }
        }
    }

    func testTextIsFoldedToWhatTheFontDraws() {
        XCTAssertEqual(BitmapFont.drawable("Café checkout"), "CAFE CHECKOUT")
        XCTAssertEqual(BitmapFont.drawable("Rate ★ 5\tnow"), "RATE ? 5 NOW")
        XCTAssertEqual(BitmapFont.drawable("日本\u{7}"), "???")
    }
}
