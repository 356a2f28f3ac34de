/** The retail tools in the original's ALL_TOOLS order (the same order as tools.json). */
import type { TauTool } from '../../tool.ts';
import { calculateTool } from './calculate.ts';
import { cancelPendingOrder } from './cancel_pending_order.ts';
import { exchangeDeliveredOrderItems } from './exchange_delivered_order_items.ts';
import { findUserIdByEmail } from './find_user_id_by_email.ts';
import { findUserIdByNameZip } from './find_user_id_by_name_zip.ts';
import { getOrderDetails } from './get_order_details.ts';
import { getProductDetails } from './get_product_details.ts';
import { getUserDetails } from './get_user_details.ts';
import { listAllProductTypes } from './list_all_product_types.ts';
import { modifyPendingOrderAddress } from './modify_pending_order_address.ts';
import { modifyPendingOrderItems } from './modify_pending_order_items.ts';
import { modifyPendingOrderPayment } from './modify_pending_order_payment.ts';
import { modifyUserAddress } from './modify_user_address.ts';
import { returnDeliveredOrderItems } from './return_delivered_order_items.ts';
import { think } from './think.ts';
import { transferToHumanAgents } from './transfer_to_human_agents.ts';

export const RETAIL_TOOLS: readonly TauTool[] = [
  calculateTool,
  cancelPendingOrder,
  exchangeDeliveredOrderItems,
  findUserIdByEmail,
  findUserIdByNameZip,
  getOrderDetails,
  getProductDetails,
  getUserDetails,
  listAllProductTypes,
  modifyPendingOrderAddress,
  modifyPendingOrderItems,
  modifyPendingOrderPayment,
  modifyUserAddress,
  returnDeliveredOrderItems,
  think,
  transferToHumanAgents,
];
