// A round of a classroom activity as state: its items one at a time and the running score of the
// class against the model. Each activity says what an item holds while it is asked (startItem)
// and how it is scored (count).

export class Round {
  constructor(items) {
    this.items = items;
    this.index = 0;
    this.score = { class: 0, model: 0, asked: 0 };
    this.startItem();
  }

  /** What the current item holds while it is asked, reset when the next one comes. */
  startItem() {}

  get item() {
    return this.items[this.index];
  }

  get finished() {
    return this.index >= this.items.length;
  }

  /** Counts a scored item: whether the class and the model got it. */
  count(classRight, modelRight) {
    this.score.asked += 1;
    this.score.class += Number(classRight);
    this.score.model += Number(modelRight);
  }

  /** The running score as the bar shows it: "Class 2 · Model 3 (of 4)". */
  get scoreLine() {
    const { score } = this;
    return `Class ${score.class} · Model ${score.model}` + (score.asked ? ` (of ${score.asked})` : "");
  }

  /** The round's end in words: "The model wins: class 2, model 3, out of 4." */
  get outcome() {
    const { score } = this;
    const winner = score.class === score.model ? "A draw" : score.class > score.model ? "The class wins" : "The model wins";
    return `${winner}: class ${score.class}, model ${score.model}, out of ${score.asked}.`;
  }

  /** Moves to the next item; false at the end of the round. */
  next() {
    if (this.finished) return false;
    this.index += 1;
    this.startItem();
    return !this.finished;
  }
}
