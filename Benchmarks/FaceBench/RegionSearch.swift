import FaceDetection

/// The search around a known face that `analyze` made between whole-frame searches until 2026-12-05
/// (it now searches every frame whole, since region searches missed faces a whole-frame search finds):
/// the box grown by 30 % of its side on every side, faces 0.7–1.5× its size. Kept here so the benchmark
/// still measures what a region search costs against OpenCV on the same regions.
/// Nil when the region falls outside the frame or the sizes are invalid.
func regionSearch(around box: FaceBox, width: Int, height: Int,
                  parameters: DetectionParameters = .standard) -> (region: FaceBox, parameters: DetectionParameters)? {
    let grow = Int((Double(max(box.width, box.height)) * 0.3).rounded())
    let grown = FaceBox(x: box.x - grow, y: box.y - grow, width: box.width + 2 * grow, height: box.height + 2 * grow)
    guard let region = grown.clamped(toWidth: width, height: height) else { return nil }
    let minSide = Int((Double(min(box.width, box.height)) * 0.7).rounded(.down))
    let maxSide = Int((Double(max(box.width, box.height)) * 1.5).rounded(.up))
    guard let narrowed = try? DetectionParameters(
        scaleFactor: parameters.scaleFactor, minNeighbors: parameters.minNeighbors,
        minSize: PixelSize(width: max(minSide, parameters.minSize.width), height: max(minSide, parameters.minSize.height)),
        maxSize: PixelSize(width: max(maxSide, 1), height: max(maxSide, 1))) else { return nil }
    return (region, narrowed)
}
