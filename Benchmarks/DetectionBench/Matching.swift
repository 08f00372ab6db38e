import FaceDetection

/// Matches detections to known faces, one to one.
///
/// Detectors frame faces differently (Haar's square runs from brow to chin, BlazeFace's box is tighter),
/// so the rule does not use IoU: a detection finds a face when its centre lies within 0.3 × the face's side
/// of the face's centre and the square root of its area is 0.5–1.6 × the side. Pairs are taken closest
/// first. Detections left over are false positives.
enum Matching {
    static let centreTolerance = 0.3
    static let sizeRange = 0.5...1.6

    /// (faces found, false positives).
    static func score(detections: [FaceBox], truth: [TruthFace]) -> (found: Int, falsePositives: Int) {
        var pairs: [(distance: Double, detection: Int, face: Int)] = []
        for (d, box) in detections.enumerated() {
            let size = Double(box.area).squareRoot()
            for (f, face) in truth.enumerated() {
                let dx = box.centerX - face.centerX, dy = box.centerY - face.centerY
                let distance = (dx * dx + dy * dy).squareRoot()
                if distance <= centreTolerance * face.side, sizeRange.contains(size / face.side) {
                    pairs.append((distance / face.side, d, f))
                }
            }
        }
        pairs.sort { ($0.distance, $0.detection, $0.face) < ($1.distance, $1.detection, $1.face) }
        var usedDetections = Set<Int>(), usedFaces = Set<Int>()
        for pair in pairs where !usedDetections.contains(pair.detection) && !usedFaces.contains(pair.face) {
            usedDetections.insert(pair.detection)
            usedFaces.insert(pair.face)
        }
        return (usedFaces.count, detections.count - usedDetections.count)
    }
}
