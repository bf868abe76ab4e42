/**
 * Simplified Chinese, the default locale and the source of the message shape: en.ts must match it
 * key for key, and each table keyed by a shared code list must cover the whole list.
 */
import type { CardScheme } from '../../../common/card/scheme.ts';
import type { DeviceKind, DeviceState } from '../../../common/devices.ts';
import type { JOURNAL_STATUSES } from '../../../common/ipc/checkout-contract.ts';
import type { IpcErrorCode } from '../../../common/ipc/result.ts';
import type { PaymentFailure, PaymentStep } from '../../../common/payment.ts';
import type { IpcAction } from '../../shared/ipc-actions.ts';
import type { ResponseCode } from '../response-codes.ts';

type JournalStatus = (typeof JOURNAL_STATUSES)[number];

export const zhCN = {
  localeToggle: { label: 'English', hint: '切换到英文界面' },
  header: { terminal: '终端号', merchant: '商户号', simulatorLink: '打开模拟设备' },
  catalog: { title: '商品', all: '全部', empty: '暂无商品' },
  /** Names for the station's category ids; an id missing here is shown as sent. */
  category: { drinks: '饮品', food: '食品', snacks: '零食', household: '日用品' },
  cart: {
    title: '购物车',
    empty: '点击左侧商品加入购物车',
    increase: '增加 {name}',
    decrease: '减少 {name}',
    remove: '删除 {name}',
    quantity: '数量',
    total: '合计',
    payByCard: '刷卡支付',
    estimate: '最终金额以收银站计价为准',
  },
  payment: {
    title: '银行卡支付',
    amount: '金额',
    card: '卡号',
    pinEntered: '已输入 {count} 位密码',
    responseCode: '应答码',
    approvalCode: '授权码',
    rrn: '参考号',
    unknownResponseCode: '未知应答码',
    cancel: '取消交易',
    newSale: '新交易',
  },
  step: {
    present_card: '刷卡',
    reading: '读卡',
    enter_pin: '输密码',
    authorizing: '授权',
    approved: '成功',
    declined: '拒绝',
    cancelled: '已取消',
    failed: '失败',
  } satisfies Record<PaymentStep, string>,
  stepResult: '结果',
  stepMessage: {
    present_card: '请顾客刷卡',
    reading: '正在读卡…',
    enter_pin: '请顾客在密码键盘上输入密码',
    authorizing: '正在向银行申请授权…',
    approved: '交易成功',
    declined: '交易被拒绝',
    cancelled: '交易已取消',
    failed: '交易失败',
  } satisfies Record<PaymentStep, string>,
  responseCode: {
    '00': '交易成功',
    '05': '不予承兑，请持卡人联系发卡行',
    '12': '无效交易',
    '13': '无效金额',
    '14': '无效卡号',
    '30': '报文格式错误',
    '41': '挂失卡，请没收',
    '43': '被窃卡，请没收',
    '51': '余额不足',
    '54': '卡已过期',
    '55': '密码错误',
    '57': '不允许持卡人进行此交易',
    '58': '不允许终端进行此交易',
    '59': '有欺诈嫌疑',
    '61': '超出金额限制',
    '75': '密码错误次数超限',
    '91': '发卡行或交换中心不能操作',
    '94': '重复交易',
    '96': '系统故障',
  } satisfies Record<ResponseCode, string>,
  failure: {
    bad_read: '读卡失败，请重新刷卡',
    card_not_accepted: '本店不受理此卡种',
    card_expired: '卡已过期',
    pin_cancelled: '顾客取消了密码输入',
    pin_timeout: '密码输入超时',
    cancelled_by_cashier: '收银员已取消交易',
    host_unreachable: '无法连接银行主机',
    host_timeout: '银行主机响应超时',
    device_error: '设备故障，请查看底部设备状态',
  } satisfies Record<PaymentFailure, string>,
  device: {
    kind: { cardReader: '读卡器', pinPad: '密码键盘', printer: '打印机' } satisfies Record<DeviceKind, string>,
    state: {
      absent: '未连接',
      connecting: '连接中',
      ready: '就绪',
      busy: '忙碌',
      recovering: '恢复中',
      disconnected: '已断开',
      fault: '故障',
    } satisfies Record<DeviceState, string>,
    source: { usb: 'USB', virtual: '虚拟' },
  },
  status: { acquirer: '收单主机', bundled: '内置' },
  journal: {
    title: '最近交易',
    empty: '暂无交易',
    time: '时间',
    card: '卡号',
    amount: '金额',
    status: '状态',
    code: '应答码',
    statuses: { pending: '处理中', approved: '成功', declined: '拒绝', failed: '失败' } satisfies Record<JournalStatus, string>,
  },
  receipt: {
    title: '小票预览',
    close: '关闭小票',
    cut: '切纸',
    partialCut: '半切',
    drawer: '打开钱箱',
    qr: '二维码',
    image: '图片 {width}×{height} 点',
    unknown: '{count} 条打印指令无法识别',
  },
  scheme: {
    unionpay: '银联',
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: '美国运通',
    jcb: 'JCB',
    discover: 'Discover',
  } satisfies Record<CardScheme, string>,
  ipcError: {
    invalid_input: '请求无效',
    forbidden: '不允许此操作',
    unknown_method: '收银站不支持此操作',
    busy: '收银站正忙，请稍后再试',
    not_found: '未找到',
    rejected: '请求被拒绝',
    unavailable: '无法连接收银站',
    internal: '收银站内部错误',
  } satisfies Record<IpcErrorCode, string>,
  action: {
    loadStation: '读取收银站信息',
    loadCatalog: '读取商品目录',
    loadDevices: '读取设备状态',
    loadJournal: '读取最近交易',
    startPayment: '发起支付',
    cancelPayment: '取消交易',
    loadTestCards: '读取测试卡',
    swipeCard: '刷卡',
    pressPinPadKey: '按键',
  } satisfies Record<IpcAction, string>,
  notice: { failed: '{action}失败：', dismiss: '关闭提示' },
  simulator: {
    title: '模拟设备',
    cards: {
      title: '读卡器',
      swipe: '刷卡',
      badRead: '模拟读卡错误',
      testPin: '测试密码',
      ignored: '读卡器当前没有在等待刷卡',
    },
    pinPad: {
      title: '密码键盘',
      display: '密码键盘屏幕',
      keys: { cancel: '取消', clear: '更正', enter: '确认' },
      note: '在这里输入的数字直接送到虚拟密码键盘，由它自己加密成 PIN 块；收银界面只会看到位数。也可以用键盘输入：数字、回车确认、退格更正、Esc 取消。',
    },
  },
};

export type MessageSchema = typeof zhCN;
