/// One face followed through a session: every detection associated with it, summarised.
public struct FaceTrack: Sendable, Hashable {
    /// Stable id, counting up from 1 in the order tracks start.
    public let id: Int
    /// Timestamp (seconds) of the first and of the latest detection.
    public internal(set) var firstSeen: Double
    public internal(set) var lastSeen: Double
    /// The latest detected box.
    public internal(set) var lastBox: FaceBox
    /// How many frames the face was detected in.
    public internal(set) var detectionCount: Int
    /// The sum of the detected box areas (pixels²) over those frames: how much face the track shows.
    public internal(set) var totalArea: Double
    /// Estimated motion of the box centre in pixels per second (smoothed), for association.
    public internal(set) var velocityX: Double = 0
    public internal(set) var velocityY: Double = 0

    init(id: Int, timestamp: Double, box: FaceBox) {
        self.id = id
        firstSeen = timestamp
        lastSeen = timestamp
        lastBox = box
        detectionCount = 1
        totalArea = Double(box.area)
    }

    /// Where the box is expected at `timestamp`: the latest box moved by the velocity for at most
    /// `horizon` seconds (so a long gap does not extrapolate far).
    public func predictedBox(at timestamp: Double, horizon: Double) -> FaceBox {
        let dt = min(max(timestamp - lastSeen, 0), horizon)
        return lastBox.offsetBy(dx: Int((velocityX * dt).rounded()), dy: Int((velocityY * dt).rounded()))
    }

    /// Adds a detection at `timestamp` after an absence: the motion before it says nothing about the
    /// motion after, so the velocity starts again from zero.
    mutating func resume(_ box: FaceBox, at timestamp: Double) {
        velocityX = 0
        velocityY = 0
        lastSeen = max(lastSeen, timestamp)
        lastBox = box
        detectionCount += 1
        totalArea += Double(box.area)
    }

    /// Adds a detection at `timestamp`.
    mutating func observe(_ box: FaceBox, at timestamp: Double, smoothing: Double) {
        let dt = timestamp - lastSeen
        if dt > 0 {
            // Clamped: frames a hair apart must not yield absurd speeds.
            let limit = 1e5
            let vx = min(max((box.centerX - lastBox.centerX) / dt, -limit), limit)
            let vy = min(max((box.centerY - lastBox.centerY) / dt, -limit), limit)
            // The first step sets the velocity; later steps blend into it.
            let keep = detectionCount == 1 ? 0 : smoothing
            velocityX = keep * velocityX + (1 - keep) * vx
            velocityY = keep * velocityY + (1 - keep) * vy
        }
        lastSeen = max(lastSeen, timestamp)
        lastBox = box
        detectionCount += 1
        totalArea += Double(box.area)
    }
}
