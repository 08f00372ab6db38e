/// A face whose place is known: its centre and side in frame pixels.
///
/// For a composited FER2013 face the side is the pasted crop's side (FER2013 crops frame the face from
/// brow to chin with little margin); for a real photo it is a hand-measured square around the face.
struct TruthFace: Sendable {
    var centerX: Double
    var centerY: Double
    var side: Double
}

/// A frame of the benchmark: the gray image, the faces in it, and the condition it counts under.
struct BenchFrame: Sendable {
    var condition: String
    var width: Int
    var height: Int
    var pixels: [UInt8]
    var faces: [TruthFace]
}
