import Foundation

/// Scratch memory for one worker: the shrunk image and its integral images. Reused across levels and
/// calls so the per-frame cost is no allocation at all once the buffers have grown to the frame size.
final class DetectionWorkspace {
    private(set) var shrunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    private(set) var integral = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var squares = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var shrunkCapacity = 1, integralCapacity = 1, squaresCapacity = 1

    /// Makes sure the buffers hold at least the given element counts (contents are not kept).
    func reserve(shrunk shrunkCount: Int, integral integralCount: Int, squares squaresCount: Int) {
        if shrunkCount > shrunkCapacity {
            shrunk.deallocate()
            shrunk = .allocate(capacity: shrunkCount)
            shrunkCapacity = shrunkCount
        }
        if integralCount > integralCapacity {
            integral.deallocate()
            integral = .allocate(capacity: integralCount)
            integralCapacity = integralCount
        }
        if squaresCount > squaresCapacity {
            squares.deallocate()
            squares = .allocate(capacity: squaresCount)
            squaresCapacity = squaresCount
        }
    }

    deinit {
        shrunk.deallocate()
        integral.deallocate()
        squares.deallocate()
    }
}

/// A thread-safe stack of idle workspaces.
final class WorkspacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [DetectionWorkspace] = []

    func take(_ count: Int) -> [DetectionWorkspace] {
        lock.lock()
        defer { lock.unlock() }
        var taken: [DetectionWorkspace] = []
        while taken.count < count { taken.append(idle.popLast() ?? DetectionWorkspace()) }
        return taken
    }

    func giveBack(_ workspaces: [DetectionWorkspace]) {
        lock.lock()
        defer { lock.unlock() }
        idle.append(contentsOf: workspaces)
    }
}
