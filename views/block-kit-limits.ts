/**
 * Block Kit's documented limits, one place, each with the reference page it comes from. The fake Slack
 * (views/block-kit-rules.ts) rejects what breaks them; views/blocks.ts trims to them.
 */
const REF = 'https://docs.slack.dev/reference';

/** A limit and the documentation it comes from. */
export interface Limit {
  readonly max: number;
  readonly source: string;
}
const limit = (max: number, page: string): Limit => ({ max, source: `${REF}/${page}` });

export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: limit(50, 'block-kit/blocks'),
  blocksPerView: limit(100, 'views/modal-views'),
  blockId: limit(255, 'block-kit/blocks/section-block'),
  actionId: limit(255, 'block-kit/block-elements/button-element'),
  /** Any text object unless its field says otherwise. */
  textObject: limit(3000, 'block-kit/composition-objects/text-object'),
  sectionText: limit(3000, 'block-kit/blocks/section-block'),
  sectionFieldText: limit(2000, 'block-kit/blocks/section-block'),
  sectionFields: limit(10, 'block-kit/blocks/section-block'),
  headerText: limit(150, 'block-kit/blocks/header-block'),
  contextElements: limit(10, 'block-kit/blocks/context-block'),
  actionsElements: limit(25, 'block-kit/blocks/actions-block'),
  imageAltText: limit(2000, 'block-kit/blocks/image-block'),
  imageTitle: limit(2000, 'block-kit/blocks/image-block'),
  inputLabel: limit(2000, 'block-kit/blocks/input-block'),
  inputHint: limit(2000, 'block-kit/blocks/input-block'),
  markdownBlockText: limit(12000, 'block-kit/blocks/markdown-block'),
  tableRows: limit(100, 'block-kit/blocks/table-block'),
  tableCells: limit(20, 'block-kit/blocks/table-block'),
  tableColumnSettings: limit(20, 'block-kit/blocks/table-block'),
  tablesPerMessage: limit(1, 'block-kit/blocks/table-block'),
  buttonText: limit(75, 'block-kit/block-elements/button-element'),
  buttonValue: limit(2000, 'block-kit/block-elements/button-element'),
  accessibilityLabel: limit(75, 'block-kit/block-elements/button-element'),
  url: limit(3000, 'block-kit/block-elements/button-element'),
  placeholder: limit(150, 'block-kit/block-elements/select-menu-element'),
  selectOptions: limit(100, 'block-kit/block-elements/select-menu-element'),
  selectOptionGroups: limit(100, 'block-kit/block-elements/select-menu-element'),
  overflowOptionsMin: limit(2, 'block-kit/block-elements/overflow-menu-element'),
  overflowOptionsMax: limit(5, 'block-kit/block-elements/overflow-menu-element'),
  checkboxOptions: limit(10, 'block-kit/block-elements/checkboxes-element'),
  radioOptions: limit(10, 'block-kit/block-elements/radio-button-group-element'),
  optionText: limit(75, 'block-kit/composition-objects/option-object'),
  optionValue: limit(150, 'block-kit/composition-objects/option-object'),
  optionDescription: limit(75, 'block-kit/composition-objects/option-object'),
  optionGroupLabel: limit(75, 'block-kit/composition-objects/option-group-object'),
  confirmTitle: limit(100, 'block-kit/composition-objects/confirmation-dialog-object'),
  confirmText: limit(300, 'block-kit/composition-objects/confirmation-dialog-object'),
  confirmButton: limit(30, 'block-kit/composition-objects/confirmation-dialog-object'),
  plainTextInputMaxLength: limit(3000, 'block-kit/block-elements/plain-text-input-element'),
  modalTitle: limit(24, 'views/modal-views'),
  modalSubmit: limit(24, 'views/modal-views'),
  modalClose: limit(24, 'views/modal-views'),
  privateMetadata: limit(3000, 'views/modal-views'),
  callbackId: limit(255, 'views/modal-views'),
  externalId: limit(255, 'views/modal-views'),
  messageText: limit(40000, 'methods/chat.postMessage'),
} as const satisfies Record<string, Limit>;
