import Foundation
import SessionStore

/// Draws a `FrameAnnotation` onto a frame: each face's box (the participant's green, others orange),
/// the participant's top emotion and its probability above the box, a valence gauge and the current
/// task's name in the top-left corner.
///
/// Box coordinates are stored in displayed source pixels (`frameWidth` × `frameHeight` of the session);
/// they are scaled to the decoded picture. Lines and text scale with the picture: `scale` =
/// max(1, height / 240) pixels per font pixel, box lines max(2, scale) pixels wide, drawn inside the box.
public struct AnnotationPainter: Sendable {
    /// The session's displayed frame size (what box coordinates refer to); nil: the decoded size.
    public var sourceWidth: Int?
    public var sourceHeight: Int?

    public init(sourceWidth: Int?, sourceHeight: Int?) {
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
    }

    /// Font pixel size for a picture `height` pixels high.
    public static func scale(forHeight height: Int) -> Int { max(1, height / 240) }

    /// The gauge's size in pixels at `scale`: 60 font pixels wide, 4 high.
    public static func gaugeSize(scale: Int) -> (width: Int, height: Int) { (60 * scale, 4 * scale) }

    /// `box` in the canvas's pixels (rounded to whole pixels).
    public func rectangle(_ box: FaceBox, canvasWidth: Int, canvasHeight: Int) -> (x: Int, y: Int, width: Int, height: Int) {
        let sx = Double(canvasWidth) / Double(sourceWidth ?? canvasWidth)
        let sy = Double(canvasHeight) / Double(sourceHeight ?? canvasHeight)
        let x = Int((box.x * sx).rounded()), y = Int((box.y * sy).rounded())
        return (x, y, max(1, Int(((box.x + box.width) * sx).rounded()) - x), max(1, Int(((box.y + box.height) * sy).rounded()) - y))
    }

    /// Draws `annotation` on `canvas`.
    public func paint(_ annotation: FrameAnnotation, on canvas: RGBCanvas) {
        let scale = Self.scale(forHeight: canvas.height)
        let line = max(2, scale)
        for face in annotation.others {
            let r = rectangle(face.box, canvasWidth: canvas.width, canvasHeight: canvas.height)
            canvas.strokeRect(x: r.x, y: r.y, width: r.width, height: r.height, thickness: line, color: .otherFace)
        }
        var top = 0
        if let task = annotation.task {
            top += canvas.label("TASK: " + task, x: 0, y: 0, scale: scale)
        }
        guard let participant = annotation.participant else { return }
        let r = rectangle(participant.box, canvasWidth: canvas.width, canvasHeight: canvas.height)
        canvas.strokeRect(x: r.x, y: r.y, width: r.width, height: r.height, thickness: line, color: .participant)
        guard let scores = participant.scores else { return }
        let emotion = scores.dominant
        let text = "\(emotion.name) \(Int((scores[emotion] * 100).rounded()))%"
        let labelHeight = (BitmapFont.lineHeight + 1) * scale
        let labelY = r.y - labelHeight >= 0 ? r.y - labelHeight : r.y + r.height
        canvas.label(text, x: max(0, r.x), y: labelY, scale: scale, color: RGB(180, 255, 180))
        paintGauge(valence: scores.valence, on: canvas, x: 0, y: top, scale: scale)
    }

    /// The valence gauge: a band labelled `VAL`, a bar from red (−1) through gray (0) to green (+1) and a
    /// white marker at the valence.
    public func paintGauge(valence: Double, on canvas: RGBCanvas, x: Int, y: Int, scale: Int) {
        let (width, height) = Self.gaugeSize(scale: scale)
        let labelWidth = BitmapFont.width(ofCharacters: 3) * scale + 2 * scale
        canvas.darken(x: x, y: y, width: labelWidth + width + 2 * scale, height: (BitmapFont.lineHeight + 1) * scale)
        canvas.draw(text: "VAL", x: x + scale, y: y + scale, scale: scale, color: .white)
        let barX = x + labelWidth + scale, barY = y + (BitmapFont.lineHeight + 1 - 4) * scale / 2
        let half = width / 2
        canvas.fill(x: barX, y: barY, width: half, height: height, color: RGB(200, 60, 60))
        canvas.fill(x: barX + half, y: barY, width: width - half, height: height, color: RGB(60, 190, 80))
        let clamped = min(1, max(-1, valence))
        let marker = barX + Int(((clamped + 1) / 2 * Double(width - scale)).rounded())
        canvas.fill(x: marker, y: barY - scale, width: scale, height: height + 2 * scale, color: .white)
    }
}
