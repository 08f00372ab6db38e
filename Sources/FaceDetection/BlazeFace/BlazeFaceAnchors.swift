/// The 896 anchor centres of BlazeFace short-range, as MediaPipe's `SsdAnchorsCalculator` makes them for
/// `face_detection_short_range_common.pbtxt`: 128×128 input, strides [8, 16, 16, 16], anchor offset 0.5,
/// one aspect ratio plus the interpolated scale (2 anchors per layer), `fixed_anchor_size: true`.
///
/// Layers sharing a stride share a feature map, so the stride-8 map (16×16) has 2 anchors a cell and the
/// stride-16 map (8×8) 3 × 2 = 6. With fixed anchor size every anchor is 1×1, so only centres matter.
public enum BlazeFaceAnchors {
    /// A centre in input-relative coordinates (0…1).
    public struct Center: Equatable, Sendable {
        public var x: Float, y: Float
    }

    /// Anchor centres in the network's output order: row-major cells, a cell's anchors together.
    public static let shortRange: [Center] = {
        var anchors: [Center] = []
        for (mapSize, perCell) in [(16, 2), (8, 6)] {
            for y in 0..<mapSize {
                for x in 0..<mapSize {
                    let c = Center(x: (Float(x) + 0.5) / Float(mapSize), y: (Float(y) + 0.5) / Float(mapSize))
                    anchors += repeatElement(c, count: perCell)
                }
            }
        }
        return anchors
    }()
}
