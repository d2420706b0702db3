/**
 * Steps the packet through the hops: play/pause/step/restart, moving the packet along each hop's polyline with
 * requestAnimationFrame, or jumping there at once when the user prefers reduced motion.
 */
import { placePacket, showStep, type TraceOverlay } from './traceView';

/** Milliseconds the packet takes for one hop, and the pause after it while playing. */
const HOP_MS = 650;
const DWELL_MS = 350;

/** Drives one trace overlay; `onStep` fires whenever the current hop changes. */
export class Player {
  private step = 0;
  private playing = false;
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly overlay: TraceOverlay,
    private readonly onStep: (step: number, playing: boolean) => void,
    private readonly reducedMotion: () => boolean,
  ) {}

  /** How many hops the trace has. */
  get length(): number {
    return this.overlay.hops.length;
  }

  /** The hop the packet stands on (0 = before the first hop). */
  get current(): number {
    return this.step;
  }

  /** True while playing. */
  get isPlaying(): boolean {
    return this.playing;
  }

  /** Jumps to a hop without animation. */
  jump(step: number): void {
    this.cancelMotion();
    this.step = Math.max(0, Math.min(this.length, step));
    placePacket(this.overlay, this.step, 1);
    this.update();
  }

  /** Moves one hop forward (animated) or back (jump). */
  forward(): void {
    this.pause();
    if (this.step < this.length) this.moveTo(this.step + 1);
  }

  /** Moves one hop back. */
  back(): void {
    this.pause();
    this.jump(this.step - 1);
  }

  /** Back to the start, paused. */
  restart(): void {
    this.pause();
    this.jump(0);
  }

  /** Plays from the current hop to the end (from the start when already at the end). */
  play(): void {
    if (this.playing) return;
    if (this.step >= this.length) this.jump(0);
    this.playing = true;
    this.update();
    this.advance();
  }

  /** Stops playing where the packet is. */
  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.update();
  }

  /** Play or pause. */
  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Stops every timer and frame (before the overlay is thrown away). */
  dispose(): void {
    this.pause();
    this.cancelMotion();
  }

  private advance(): void {
    if (!this.playing) return;
    if (this.step >= this.length) {
      this.playing = false;
      this.update();
      return;
    }
    this.moveTo(this.step + 1, () => {
      if (this.step < this.length) this.timer = setTimeout(() => this.advance(), DWELL_MS);
      else {
        this.playing = false;
        this.update();
      }
    });
  }

  private moveTo(step: number, done?: () => void): void {
    this.cancelMotion();
    this.step = step;
    this.update();
    if (this.reducedMotion()) {
      placePacket(this.overlay, step, 1);
      done?.();
      return;
    }
    const t0 = performance.now();
    const tick = (now: number) => {
      const t = Math.min(1, (now - t0) / HOP_MS);
      placePacket(this.overlay, step, easeInOut(t));
      if (t < 1) this.frame = requestAnimationFrame(tick);
      else {
        this.frame = 0;
        done?.();
      }
    };
    placePacket(this.overlay, step, 0);
    this.frame = requestAnimationFrame(tick);
  }

  private cancelMotion(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private update(): void {
    showStep(this.overlay, this.step);
    this.onStep(this.step, this.playing);
  }
}

function easeInOut(t: number): number {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}
