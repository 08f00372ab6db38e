import Foundation

/// A first-in, first-out queue of at most `capacity` items between one producer and one consumer
/// thread: `push` blocks while the queue is full and `pop` while it is empty, so the producer can run at
/// most `capacity` items ahead and memory stays bounded. `close()` wakes both sides for good.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Slots already popped hold nil, so a popped item is released at once.
    private var items: [Element?] = []
    private var head = 0
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Appends `item`, waiting for room. Returns false (and drops the item) once the queue is closed.
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && items.count - head >= capacity { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Removes the oldest item, waiting for one. Returns nil once the queue is closed and empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while !closed && items.count == head { condition.wait() }
        guard items.count > head else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// Ends the queue: later pushes are dropped; pops drain what is left, then return nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
