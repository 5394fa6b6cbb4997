// The gateway's demo page (src/Gateway/Demo/index.html), built on the client. Bundled by scripts/build-playground.mjs
// into src/Gateway/Demo/playground.js. It reports its state in <body data-*> for tests and curious people:
// data-state (idle|streaming|done|error|cancelled), data-chunks, data-first-audio-ms, data-voices, data-voice-uploaded,
// data-utterances, data-utterance-voice, data-waveform-samples, data-timeline-chunks, data-live-sent.
import { SawtClient, SawtError, type AudioChunk, type SamplingOptions, type SawtContext, type SpeechOptions } from "../src/index.js";

const Languages = ["ar", "da", "de", "el", "en", "es", "fi", "fr", "he", "hi", "it", "ja", "ko", "ms", "nl", "no", "pl", "pt", "ru", "sv", "sw", "tr", "zh"];
const Rate = 24000;

const params = new URLSearchParams(location.search);
const apiKey = params.get("api_key") ?? undefined;
const client = new SawtClient({
  baseUrl: location.origin,
  ...(apiKey ? { apiKey } : {}),
  onError: (error) => setStatus(`warning ${error.code}: ${error.message}`),
});

function $<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`#${id} is missing`);
  }

  return element as T;
}

const dataset = document.body.dataset;

function setState(state: string, message?: string): void {
  dataset.state = state;
  if (message !== undefined) {
    setStatus(message);
  }
}

function setStatus(message: string): void {
  $("status").textContent = message;
}

function describe(error: unknown): string {
  return error instanceof SawtError ? `error ${error.code}: ${error.message}` : `error: ${String(error)}`;
}

// ---- Voice library ----

async function refreshVoices(select?: string): Promise<void> {
  const voices = [];
  for await (const voice of client.http.allVoices()) {
    voices.push(voice);
  }

  const rows = $("voices");
  rows.replaceChildren();
  const picker = $<HTMLSelectElement>("voice");
  const current = select ?? picker.value;
  picker.replaceChildren();
  for (const voice of voices) {
    const row = document.createElement("tr");
    row.dataset.voiceId = voice.voiceId;
    for (const text of [
      voice.voiceId,
      voice.durationSeconds === null ? "" : `${voice.durationSeconds.toFixed(2)} s`,
      voice.sampleRate === null ? "" : `${voice.sampleRate} Hz × ${voice.channels}`,
      voice.createdAt ?? "",
    ]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.appendChild(cell);
    }

    const cell = document.createElement("td");
    if (!voice.readOnly) {
      const remove = document.createElement("button");
      remove.textContent = "delete";
      remove.className = "delete-voice";
      remove.addEventListener("click", () => {
        client.http.deleteVoice(voice.voiceId)
          .then(() => refreshVoices())
          .catch((e: unknown) => { $("voice-status").textContent = describe(e); });
      });
      cell.appendChild(remove);
    }

    row.appendChild(cell);
    rows.appendChild(row);
    const option = document.createElement("option");
    option.value = option.textContent = voice.voiceId;
    picker.appendChild(option);
  }

  picker.value = voices.some((v) => v.voiceId === current) ? current : "default";
  dataset.voices = String(voices.length);
}

async function enrol(clip: Blob, what: string): Promise<void> {
  $("voice-status").textContent = `uploading ${what}…`;
  try {
    const voice = await client.http.createVoice(clip);
    await refreshVoices(voice.voiceId);
    dataset.voiceUploaded = voice.voiceId;
    $("voice-status").textContent = `enrolled ${voice.voiceId} (${voice.durationSeconds?.toFixed(2)} s)`;
  } catch (error) {
    $("voice-status").textContent = describe(error);
  }
}

$<HTMLInputElement>("voice-file").addEventListener("change", (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) {
    void enrol(file, file.name);
  }
});

let recorder: MediaRecorder | undefined;
$("record").addEventListener("click", () => {
  if (recorder) {
    recorder.stop();
    return;
  }

  void (async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const parts: Blob[] = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", (e) => parts.push(e.data));
      recorder.addEventListener("stop", () => {
        recorder = undefined;
        stream.getTracks().forEach((t) => t.stop());
        $("record").textContent = "Record from microphone";
        // The voices API takes WAV: decode the browser's recording and write 16-bit PCM.
        void new Blob(parts).arrayBuffer()
          .then((bytes) => new AudioContext().decodeAudioData(bytes))
          .then((audio) => enrol(new Blob([wav(mixDown(audio), audio.sampleRate)], { type: "audio/wav" }), "recording"))
          .catch((e: unknown) => { $("voice-status").textContent = describe(e); });
      });
      recorder.start();
      $("record").textContent = "Stop recording";
      $("voice-status").textContent = "recording… (1-30 s)";
    } catch (error) {
      $("voice-status").textContent = describe(error);
    }
  })();
});

function mixDown(audio: AudioBuffer): Float32Array {
  const mono = new Float32Array(audio.length);
  for (let c = 0; c < audio.numberOfChannels; c++) {
    const channel = audio.getChannelData(c);
    for (let i = 0; i < mono.length; i++) {
      mono[i]! += channel[i]! / audio.numberOfChannels;
    }
  }

  return mono;
}

function wav(samples: Float32Array, rate: number): ArrayBuffer {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const ascii = (offset: number, s: string) => { for (let i = 0; i < s.length; i++) { view.setUint8(offset + i, s.charCodeAt(i)); } };
  ascii(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); ascii(8, "WAVE");
  ascii(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  ascii(36, "data"); view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 32767, true));
  return buffer;
}

// ---- Settings ----

for (const code of Languages) {
  const option = document.createElement("option");
  option.value = option.textContent = code;
  $("language").appendChild(option);
}

$<HTMLSelectElement>("language").value = params.get("language") ?? "ar";
if (params.get("text")) {
  $<HTMLTextAreaElement>("text").value = params.get("text")!;
}

function numberField(id: string): number | undefined {
  const value = $<HTMLInputElement>(id).value.trim();
  return value === "" ? undefined : Number(value);
}

function speechOptions(): SpeechOptions {
  const sampling: SamplingOptions = {};
  const fields: [keyof SamplingOptions, string][] = [
    ["temperature", "temperature"], ["topP", "top_p"], ["minP", "min_p"], ["repetitionPenalty", "repetition_penalty"],
    ["cfgWeight", "cfg_weight"], ["exaggeration", "exaggeration"], ["seed", "seed"],
  ];
  for (const [key, id] of fields) {
    const value = numberField(id);
    if (value !== undefined) {
      sampling[key] = value;
    }
  }

  return {
    language: $<HTMLSelectElement>("language").value,
    voice: $<HTMLSelectElement>("voice").value || "default",
    outputFormat: { encoding: "pcm_f32le", sampleRate: Rate },
    sampling,
  };
}

// ---- Playback and figures ----

let audio: AudioContext | undefined;

interface ChunkTiming {
  arrivalMs: number;
  playStartMs: number;
  playEndMs: number;
}

/** One utterance: its context, its playback schedule, its figures and drawings. */
class Utterance {
  readonly samples: Float32Array[] = [];
  readonly timings: ChunkTiming[] = [];
  sampleCount = 0;
  nextStart = 0;
  private readonly element: HTMLElement;
  private readonly figures: HTMLElement;
  private readonly waveform: HTMLCanvasElement;
  private readonly timeline: HTMLCanvasElement;
  private drawPending = false;

  constructor(readonly number: number, readonly requestedAt: number, readonly voice: string, mode: string) {
    this.element = document.createElement("div");
    this.element.className = "utterance";
    const title = document.createElement("div");
    title.textContent = `#${number} · voice ${voice} · ${mode}`;
    this.figures = document.createElement("div");
    this.figures.className = "figures";
    this.figures.textContent = "waiting for audio…";
    this.waveform = document.createElement("canvas");
    this.waveform.className = "waveform";
    this.timeline = document.createElement("canvas");
    this.timeline.className = "timeline";
    this.element.append(title, this.figures, this.waveform, this.timeline);
    $("utterances").prepend(this.element);
    dataset.utterances = String(number);
    dataset.utteranceVoice = voice;
    dataset.chunks = "0";
    delete dataset.firstAudioMs;
    $("chunks").textContent = "chunks scheduled: 0";
  }

  play(chunk: AudioChunk, context: SawtContext): void {
    if (!audio || chunk.data.length === 0) {
      return;
    }

    // Copied: the frame's bytes need not be 4-byte aligned for a Float32Array view.
    const samples = new Float32Array(chunk.data.slice().buffer);
    const buffer = audio.createBuffer(1, samples.length, chunk.sampleRate || Rate);
    buffer.copyToChannel(samples, 0);
    const source = audio.createBufferSource();
    source.buffer = buffer;
    source.connect(audio.destination);
    // Chunks play back to back: each starts where the previous one ends (or now, if playback fell behind).
    const at = Math.max(this.nextStart, audio.currentTime + 0.02);
    source.start(at);
    this.nextStart = at + buffer.duration;
    const arrivalMs = chunk.receivedAt - this.requestedAt;
    const playStartMs = arrivalMs + (at - audio.currentTime) * 1000;
    this.timings.push({ arrivalMs, playStartMs, playEndMs: playStartMs + buffer.duration * 1000 });
    this.samples.push(samples);
    this.sampleCount += samples.length;
    if (this.timings.length === 1) {
      const first = Math.round(context.firstAudioMs ?? arrivalMs);
      dataset.firstAudioMs = String(first);
      setStatus(`first audio after ${first} ms`);
    }

    dataset.chunks = String(this.timings.length);
    dataset.waveformSamples = String(this.sampleCount);
    dataset.timelineChunks = String(this.timings.length);
    $("chunks").textContent = `chunks scheduled: ${this.timings.length}`;
    this.showFigures(context);
    this.scheduleDraw();
  }

  showFigures(context: SawtContext, outcome?: string): void {
    const parts = [
      `first audio ${dataset.firstAudioMs ?? "–"} ms`,
      `${this.timings.length} chunks`,
      `${(this.sampleCount / Rate).toFixed(2)} s audio`,
    ];
    if (context.summary) {
      parts.push(`server TTFA ${Math.round(context.summary.timeToFirstAudioMs)} ms`, `RTF ${context.summary.realTimeFactor.toFixed(3)}`, `${context.summary.tokens} tokens`);
    }

    this.figures.textContent = [...parts, ...(outcome ? [outcome] : [])].join(" · ");
    if (outcome) {
      // The last drawing does not wait for an animation frame (a hidden tab may not get one soon).
      this.drawWaveform();
      this.drawTimeline();
    }
  }

  private scheduleDraw(): void {
    if (this.drawPending) {
      return;
    }

    this.drawPending = true;
    requestAnimationFrame(() => {
      this.drawPending = false;
      this.drawWaveform();
      this.drawTimeline();
    });
  }

  private drawWaveform(): void {
    const canvas = this.waveform;
    const width = canvas.width = canvas.clientWidth || 600;
    const height = canvas.height = canvas.clientHeight || 70;
    const g = canvas.getContext("2d");
    if (!g || this.sampleCount === 0) {
      return;
    }

    // Min and max of the samples under each pixel column.
    const perColumn = Math.max(1, Math.ceil(this.sampleCount / width));
    g.fillStyle = "#2a6fdb";
    let index = 0;
    let column = 0;
    let min = 1;
    let max = -1;
    for (const block of this.samples) {
      for (const s of block) {
        min = Math.min(min, s);
        max = Math.max(max, s);
        if (++index % perColumn === 0) {
          g.fillRect(column++, (1 - max) * height / 2, 1, Math.max(1, (max - min) * height / 2));
          min = 1;
          max = -1;
        }
      }
    }
  }

  private drawTimeline(): void {
    const canvas = this.timeline;
    const width = canvas.width = canvas.clientWidth || 600;
    const height = canvas.height = canvas.clientHeight || 90;
    const g = canvas.getContext("2d");
    if (!g || this.timings.length === 0) {
      return;
    }

    const end = Math.max(...this.timings.map((t) => t.playEndMs)) * 1.05;
    const x = (ms: number) => ms / end * width;
    g.font = "10px sans-serif";
    g.fillStyle = "#666";
    g.fillText("arrival", 2, 10);
    g.fillText("playback", 2, height - 4);
    this.timings.forEach((t, i) => {
      g.strokeStyle = "#d33";
      g.beginPath();
      g.moveTo(x(t.arrivalMs), 14);
      g.lineTo(x(t.arrivalMs), 34);
      g.stroke();
      g.strokeStyle = "#bbb";
      g.beginPath();
      g.moveTo(x(t.arrivalMs), 34);
      g.lineTo(x(t.playStartMs), 56);
      g.stroke();
      g.fillStyle = i % 2 === 0 ? "#2a6fdb" : "#6a9ff0";
      g.fillRect(x(t.playStartMs), 56, Math.max(1, x(t.playEndMs) - x(t.playStartMs)), 18);
    });
    g.fillStyle = "#666";
    g.fillText(`${Math.round(end / 1.05)} ms`, width - 50, 10);
  }
}

// ---- Utterances: whole text, or streamed as typed ----

let utteranceCount = 0;
let current: SawtContext | undefined;
let live: { opening: Promise<SawtContext>; sent: number; utterance: Utterance } | undefined;

function ensureAudio(): void {
  audio ??= new AudioContext({ sampleRate: Rate });
  if (audio.state === "suspended") {
    void audio.resume().catch(() => undefined);
  }
}

async function run(context: SawtContext, utterance: Utterance): Promise<void> {
  try {
    for await (const chunk of context) {
      utterance.play(chunk, context);
    }

    const outcome = await context.completion;
    if (outcome.kind === "done") {
      utterance.showFigures(context, "done");
      setState("done", `${$("status").textContent} · done: ${outcome.summary.chunks} chunks, ${Math.round(outcome.summary.audioMs)} ms of audio, RTF ${outcome.summary.realTimeFactor}`);
    } else {
      utterance.showFigures(context, "cancelled");
      setState("cancelled", "cancelled");
    }
  } catch (error) {
    utterance.showFigures(context, describe(error));
    setState("error", describe(error));
  }
}

async function play(): Promise<void> {
  ensureAudio();
  current?.cancel();
  const options = speechOptions();
  const utterance = new Utterance(++utteranceCount, performance.now(), options.voice ?? "default", "whole text");
  setState("streaming", "requested…");
  const context = await client.open({ ...options, text: $<HTMLTextAreaElement>("text").value });
  current = context;
  setState("streaming", `started session ${context.sessionId}`);
  await run(context, utterance);
}

/** Live mode: each input sends the newly typed whole words, as an LLM streams tokens. */
function onType(): void {
  if (!$<HTMLInputElement>("live").checked) {
    return;
  }

  if (!live) {
    ensureAudio();
    current?.cancel();
    const options = speechOptions();
    const utterance = new Utterance(++utteranceCount, performance.now(), options.voice ?? "default", "streamed as typed");
    setState("streaming", "requested…");
    const opening = client.open({ ...options, incremental: true });
    live = { opening, sent: 0, utterance };
    $<HTMLButtonElement>("finish").disabled = false;
    void opening.then((context) => {
      current = context;
      return run(context, utterance);
    }).catch((e: unknown) => setState("error", describe(e)));
  }

  const state = live;
  void state.opening.then((context) => {
    const text = $<HTMLTextAreaElement>("text").value;
    // Only what follows the last whitespace may still change; text already sent cannot be unsaid.
    const upTo = Math.max(text.lastIndexOf(" "), text.lastIndexOf("\n")) + 1;
    if (upTo > state.sent && !context.isEnded) {
      context.send(text.slice(state.sent, upTo));
      state.sent = upTo;
      dataset.liveSent = String(Number(dataset.liveSent ?? "0") + 1);
    }
  }).catch((e: unknown) => setState("error", describe(e)));
}

function finishTyping(): void {
  const state = live;
  live = undefined;
  $<HTMLButtonElement>("finish").disabled = true;
  if (!state) {
    return;
  }

  void state.opening.then((context) => {
    const rest = $<HTMLTextAreaElement>("text").value.slice(state.sent);
    if (!context.isEnded) {
      if (rest.trim().length > 0) {
        context.send(rest);
      }

      context.end();
    }
  }).catch((e: unknown) => setState("error", describe(e)));
}

$("text").addEventListener("input", onType);
$("finish").addEventListener("click", finishTyping);
$("live").addEventListener("change", () => {
  if (!$<HTMLInputElement>("live").checked) {
    finishTyping();
  }
});
$("play").addEventListener("click", () => {
  play().catch((e: unknown) => setState("error", describe(e)));
});
$("stop").addEventListener("click", () => {
  current?.cancel();
});

setState("idle");
refreshVoices().catch((e: unknown) => { $("voice-status").textContent = describe(e); });
if (params.get("autoplay") === "1") {
  play().catch((e: unknown) => setState("error", describe(e)));
}
